// ICD-10-CM conditions a synthetic patient may carry, chosen to match the genes the VCF
// generator annotates (breast cancer, cardiomyopathy, familial hypercholesterolaemia) plus common ones.

export interface Condition {
  system: 'ICD-10-CM';
  code: string;
  display: string;
}

export const CONDITIONS: readonly Condition[] = [
  { system: 'ICD-10-CM', code: 'Z80.3', display: 'Family history of malignant neoplasm of breast' },
  { system: 'ICD-10-CM', code: 'C50.9', display: 'Malignant neoplasm of breast, unspecified site' },
  { system: 'ICD-10-CM', code: 'Z15.01', display: 'Genetic susceptibility to malignant neoplasm of breast' },
  { system: 'ICD-10-CM', code: 'C56.9', display: 'Malignant neoplasm of unspecified ovary' },
  { system: 'ICD-10-CM', code: 'I42.1', display: 'Obstructive hypertrophic cardiomyopathy' },
  { system: 'ICD-10-CM', code: 'I42.0', display: 'Dilated cardiomyopathy' },
  { system: 'ICD-10-CM', code: 'E78.01', display: 'Familial hypercholesterolemia' },
  { system: 'ICD-10-CM', code: 'Z82.49', display: 'Family history of ischemic heart disease and other diseases of the circulatory system' },
  { system: 'ICD-10-CM', code: 'I10', display: 'Essential (primary) hypertension' },
  { system: 'ICD-10-CM', code: 'E11.9', display: 'Type 2 diabetes mellitus without complications' },
  { system: 'ICD-10-CM', code: 'J45.909', display: 'Unspecified asthma, uncomplicated' },
];
