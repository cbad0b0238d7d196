// JSON to YAML for reading rules as StackStorm users write them. Strings are plain when YAML reads them back as the
// same string, double-quoted (JSON escapes are valid YAML) otherwise, so the text round-trips.

const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~)$/i;
const NUMBER_LIKE = /^[-+]?(\.?\d|0x|0o|\.inf|\.nan)/i;
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_ ./:()-]*$/;

function scalar(value) {
  if (value === null || value === undefined) {
    return 'null';
  }
  if (typeof value === 'string') {
    const plain = PLAIN.test(value) && !RESERVED.test(value) && !NUMBER_LIKE.test(value)
      && !value.endsWith(' ') && !value.includes(': ') && !value.includes(' #') && !value.endsWith(':');
    return plain ? value : JSON.stringify(value);
  }
  return String(value);
}

function key(name) {
  return scalar(String(name));
}

function isEmpty(value) {
  return (Array.isArray(value) && value.length === 0)
    || (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);
}

function lines(value, indent) {
  const pad = '  '.repeat(indent);
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (item && typeof item === 'object' && !isEmpty(item)) {
        const inner = lines(item, indent + 1);
        return [pad + '- ' + inner[0].trimStart(), ...inner.slice(1)];
      }
      return [pad + '- ' + (isEmpty(item) ? JSON.stringify(item) : scalar(item))];
    });
  }
  return Object.entries(value).flatMap(([name, item]) => {
    if (item && typeof item === 'object' && !isEmpty(item)) {
      return [pad + key(name) + ':', ...lines(item, indent + 1)];
    }
    return [pad + key(name) + ': ' + (isEmpty(item) ? JSON.stringify(item) : scalar(item))];
  });
}

/** The YAML text of a JSON value (an object at the top, as a rule is). */
export function toYaml(value) {
  if (value === null || typeof value !== 'object') {
    return scalar(value) + '\n';
  }
  return lines(value, 0).join('\n') + '\n';
}
