// A contact's full name as CRMs show it, split for templates ({first_name}, {last_name}): the first word
// is the first name, the rest the last name ("Maria de la Cruz" → Maria / de la Cruz). Used where only a
// full name is known: a CRM record's title or list cell, and a thread's contact name in the inbox.

// A type, not an interface: it goes where a Record of merge fields is expected.
export type NameParts = { firstName?: string; lastName?: string };

export function splitFullName(name: string | null | undefined): NameParts {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return {};
  return parts.length === 1 ? { firstName: parts[0] } : { firstName: parts[0], lastName: parts.slice(1).join(' ') };
}
