/** Fields that may hold personal data or secrets; never written to logs. */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.email',
  '*.endpoint',
  '*.keys',
  '*.token',
  '*.password',
  '*.privateKey',
];
