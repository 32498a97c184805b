// US ZIP code prefixes. The low-population ones are the 3-digit prefixes HIPAA Safe Harbor
// (45 CFR 164.514(b)(2)(i)(B)) requires to be replaced by 000, because fewer than 20,000 people
// live in them; the generator includes them on purpose so de-identification can be tested.

export const LOW_POPULATION_ZIP3 = [
  '036', '059', '063', '102', '203', '556', '692', '790', '821', '823', '830', '831', '878', '879', '884', '890', '893',
] as const;

/** Populous prefixes (large metro areas) for everyone else. */
export const COMMON_ZIP3 = [
  '100', '112', '021', '191', '200', '212', '303', '331', '441', '482', '606', '631', '701', '752', '770',
  '802', '850', '891', '900', '913', '941', '946', '972', '981', '554', '532', '462', '432', '152', '787',
] as const;
