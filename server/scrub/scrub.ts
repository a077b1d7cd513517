import type { WidgetLang } from '../../shared/questionnaire.ts';
import { ADDRESS_DETECTORS, ADDRESS_PIECE_DETECTORS, mergeAddresses } from './addresses.ts';
import { type Detection, PLACEHOLDERS, type Suspect } from './categories.ts';
import { HANDLE_DETECTORS, IP_DETECTORS, ONLINE_DETECTORS, PHONE_DETECTORS } from './contact.ts';
import { BIRTH_DATE_DETECTORS } from './dates.ts';
import { BARE_CODE_DETECTORS, FILE_NUMBER_DETECTORS } from './file-numbers.ts';
import { INTRODUCED_TAX_DETECTORS, KEYED_NUMBER_DETECTORS, PASSPORT_DETECTORS, TAX_AND_PLATE_DETECTORS } from './identifiers.ts';
import { NAME_DETECTORS } from './name-rules.ts';
import { normalise } from './normalise.ts';
import { countDigits, type DetectorEntry, type Found, MASK } from './patterns.ts';

export {
  categoryWords,
  type Detection,
  PERSONAL_DATA_CATEGORIES,
  type PersonalDataCategory,
  PLACEHOLDERS,
  placeholderOf,
  type Suspect,
} from './categories.ts';

// Free text (`comment`, `help_other`) loses its personal data before it is stored: a feedback system
// run by the state must not become a store of names, numbers and addresses nobody asked for. Each
// item is replaced by a placeholder that says what was there, so the text still reads.
//
// Every pattern below runs in linear time: bounded quantifiers, and no repeated group whose pieces
// can match the same characters in more than one way, so a hostile 3,000-character comment costs
// no more than an ordinary one. Where a candidate must be checked (a key, a length), the regex finds
// it and plain code checks it.

/**
 * The text with every detected item replaced by its placeholder in the review's language, the unsure
 * ones too: for text nobody will check (the write path holds unsure items back with `scrubWithSuspects`).
 */
export function scrubFreeText(text: string, lang: WidgetLang): string {
  return replaceDetections(text, lang, findPersonalData(text), () => true).text;
}

/** The text with the sure items replaced, and where the unsure ones (left as typed) now stand in it. */
export function scrubWithSuspects(text: string, lang: WidgetLang): { text: string; suspects: Suspect[] } {
  return replaceDetections(text, lang, findPersonalData(text), (d) => d.confidence === 'sure');
}

function replaceDetections(
  text: string,
  lang: WidgetLang,
  detections: readonly Detection[],
  replace: (detection: Detection) => boolean,
): { text: string; suspects: Suspect[] } {
  const suspects: Suspect[] = [];
  if (detections.length === 0) return { text, suspects };
  let out = '';
  let at = 0;
  for (const detection of detections) {
    out += text.slice(at, detection.start);
    if (replace(detection)) {
      out += PLACEHOLDERS[detection.category][lang];
    } else {
      suspects.push({ start: out.length, end: out.length + detection.end - detection.start, category: detection.category });
      out += text.slice(detection.start, detection.end);
    }
    at = detection.end;
  }
  return { text: out + text.slice(at), suspects };
}

/**
 * Every item found, in text order, not overlapping, with offsets into the text as typed. Detectors
 * read the normalised text (server/scrub/normalise.ts) and run from the most certain (an e-mail, a
 * number with a valid key) to the least (a given name in mid-sentence); each one sees the text with
 * earlier finds blanked out, so a phone number inside a file reference is not found twice.
 */
export function findPersonalData(original: string): Detection[] {
  const { text, map } = normalise(original);
  const found: Found[] = [];
  let masked = text;
  const digits = countDigits(text);
  for (const [category, detect, minDigits, confidence, gate] of DETECTORS) {
    // A function gate reads the text before any masking: masks only take words away, so its yes
    // stays true of a superset, and it is computed once (see hasGivenName).
    if (digits < minDigits || (gate && !(typeof gate === 'function' ? gate(text) : gate.test(masked)))) continue;
    const spans = detect(masked);
    if (spans.length === 0) continue;
    let next = '';
    let at = 0;
    for (const [start, spanEnd, own] of spans) {
      // « Léa D. »: the initial's full stop goes with the name, or the label outlives it by a dot.
      const end =
        category === 'name' && masked[spanEnd] === '.' && /(?<![\p{L}])\p{Lu}$/u.test(masked.slice(spanEnd - 2, spanEnd))
          ? spanEnd + 1
          : spanEnd;
      if (end <= start) continue;
      found.push({ category, start, end, confidence: own ?? (confidence === 'part' ? 'unsure' : confidence), part: confidence === 'part' });
      next += masked.slice(at, start) + MASK.repeat(end - start);
      at = end;
    }
    masked = next + masked.slice(at);
  }
  found.sort((a, b) => a.start - b.start);
  return mergeAddresses(found, text).map(({ category, start, end, confidence }) => ({
    category,
    start: map ? map.starts[start]! : start,
    end: map ? map.ends[end - 1]! : end,
    confidence,
  }));
}

/**
 * The rules in the order they run. Each sees the text with earlier finds blanked out, so the order is
 * part of the behaviour: e-mails before handles read their « @ », numbers with a key before phones read
 * their digits, names last.
 */
const DETECTORS: readonly DetectorEntry[] = [
  ...ONLINE_DETECTORS,
  ...KEYED_NUMBER_DETECTORS,
  ...INTRODUCED_TAX_DETECTORS,
  ...IP_DETECTORS,
  ...BIRTH_DATE_DETECTORS,
  ...PHONE_DETECTORS,
  ...PASSPORT_DETECTORS,
  ...FILE_NUMBER_DETECTORS,
  ...TAX_AND_PLATE_DETECTORS,
  ...ADDRESS_DETECTORS,
  ...HANDLE_DETECTORS,
  ...NAME_DETECTORS,
  ...ADDRESS_PIECE_DETECTORS,
  ...BARE_CODE_DETECTORS,
];
