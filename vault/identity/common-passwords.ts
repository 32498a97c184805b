// Passwords and stems that top every published breach list. Only entries that could pass the
// length rule matter as whole passwords; the stems also catch "stem + digits/symbols"
// (e.g. "Password2024!"). Lower case; compared after NFKC and lower-casing.
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  // stems
  'password', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'qwerty', 'qwertyuiop', 'qwertyuiop[]', 'asdfghjkl', 'zxcvbnm',
  'azerty', 'letmein', 'welcome', 'iloveyou', 'admin', 'administrator', 'changeme', 'default', 'secret', 'login',
  'monkey', 'dragon', 'football', 'baseball', 'sunshine', 'princess', 'starwars', 'trustno1', 'superman', 'master',
  'shadow', 'hospital', 'doctor', 'nurse', 'patient', 'genome', 'genovault', 'summer', 'winter', 'spring', 'autumn',
  'abc', 'abcdef', 'test', 'guest', 'user',
  // whole passwords of twelve characters or more
  '123456789012', '1234567890123', '12345678901234', '123456789abc', '1q2w3e4r5t6y', '1qaz2wsx3edc', 'qazwsxedcrfv',
  'qwerty123456', 'qwertyuiop123', 'password1234', 'password12345', 'password123!', 'iloveyou1234', 'abcdefghijkl',
  'abcd1234abcd', 'aaaaaaaaaaaa', '111111111111', '000000000000', 'letmein12345', 'welcome12345', 'changeme1234',
  'correcthorsebatterystaple', 'correct horse battery staple', 'thequickbrownfox', 'administrator1',
]);
