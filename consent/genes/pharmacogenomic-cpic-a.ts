// Pharmacogenomic genes: every gene in a CPIC level A gene-drug pair (prescribing action
// recommended, strong or moderate evidence): 21 genes.
// Source: CPIC (Clinical Pharmacogenetics Implementation Consortium), Genes-Drugs table,
// https://cpicpgx.org/genes-drugs/, level A pairs as listed in 2024-2025; cross-checked against
// Ann Lab Med 2025;45(2):121, Table 1 (gene-drug pairs with CPIC level A and PharmGKB 1A).
// CPIC revises levels as guidelines are published: recheck against the current table.
export const CPIC_LEVEL_A_GENES: readonly string[] = [
  'ABCG2', 'CACNA1S', 'CFTR', 'CYP2B6', 'CYP2C19', 'CYP2C9', 'CYP2D6', 'CYP3A5', 'CYP4F2', 'DPYD', 'G6PD',
  'HLA-A', 'HLA-B', 'IFNL3', 'MT-RNR1', 'NUDT15', 'RYR1', 'SLCO1B1', 'TPMT', 'UGT1A1', 'VKORC1',
];
