/**
 * Entity ids for names, as the migration from free-text entities gives them: lower case, accents
 * stripped, every run of other characters a dash, at most 60 characters; a second name with the
 * same slug gets `-2`, a third `-3`… Names are taken in code-point order, so both engines (whose
 * collations differ) give every name the same id.
 */
export function entitySlugs(names: readonly string[]): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const name of [...new Set(names)].sort()) {
    const base = slugOf(name);
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    ids.set(name, id);
  }
  return ids;
}

function slugOf(name: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60)
    .replace(/^-+|-+$/g, '');
  // An id is at least two characters (SLUG_PATTERN): a name with fewer letters keeps a readable prefix.
  return slug.length >= 2 ? slug : `entite${slug ? `-${slug}` : ''}`;
}
