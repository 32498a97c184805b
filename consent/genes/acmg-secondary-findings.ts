// ACMG secondary findings list, version 3.2: 81 genes whose pathogenic variants laboratories
// report as secondary findings when the patient opts in.
// Source: Miller DT et al., "ACMG SF v3.2 list for reporting of secondary findings in clinical
// exome and genome sequencing", Genet Med 2023;25(8):100866, doi:10.1016/j.gim.2023.100866.
export const ACMG_SF_V3_2: readonly string[] = [
  'ACTA2', 'ACTC1', 'ACVRL1', 'APC', 'APOB', 'ATP7B', 'BAG3', 'BMPR1A', 'BRCA1', 'BRCA2', 'BTD', 'CACNA1S', 'CALM1', 'CALM2', 'CALM3',
  'CASQ2', 'COL3A1', 'DES', 'DSC2', 'DSG2', 'DSP', 'ENG', 'FBN1', 'FLNC', 'GAA', 'GLA', 'HFE', 'HNF1A', 'KCNH2', 'KCNQ1', 'LDLR',
  'LMNA', 'MAX', 'MEN1', 'MLH1', 'MSH2', 'MSH6', 'MUTYH', 'MYBPC3', 'MYH11', 'MYH7', 'MYL2', 'MYL3', 'NF2', 'OTC', 'PALB2', 'PCSK9',
  'PKP2', 'PMS2', 'PRKAG2', 'PTEN', 'RB1', 'RBM20', 'RET', 'RPE65', 'RYR1', 'RYR2', 'SCN5A', 'SDHAF2', 'SDHB', 'SDHC', 'SDHD',
  'SMAD3', 'SMAD4', 'STK11', 'TGFBR1', 'TGFBR2', 'TMEM127', 'TMEM43', 'TNNC1', 'TNNI3', 'TNNT2', 'TP53', 'TPM1', 'TRDN', 'TSC1',
  'TSC2', 'TTN', 'TTR', 'VHL', 'WT1',
];
