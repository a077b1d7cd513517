// The follow-up questions' rules of SPEC §3/§6, as plain functions over what the user has ticked so
// far. The widget's form and the hosted no-JavaScript form (server/routes/hosted-form.ts) both turn
// their fields into wire answers here, so both send exactly what the API's validation accepts.
import {
  ADMIN_CHANNELS,
  HELP_CHANNELS,
  NO_HELP,
  type AdminChannel,
  type FollowUpAnswers,
  type HelpChannel,
  type ReachedAnswer,
  type ScaleValue,
} from './questionnaire.ts';

/** Everything the follow-up step holds, including answers to questions that are no longer shown. */
export interface FollowUpDraft {
  clarity?: ScaleValue;
  help_sought: HelpChannel[];
  help_other: string;
  help_reached: Partial<Record<AdminChannel, ReachedAnswer>>;
  help_quality: Partial<Record<AdminChannel, ScaleValue>>;
  comment: string;
}

export const emptyDraft = (): FollowUpDraft => ({ help_sought: [], help_other: '', help_reached: {}, help_quality: {}, comment: '' });

/**
 * Ticks or unticks a help channel. « Je n'ai pas eu besoin d'aide » is exclusive (SPEC §3): ticking it
 * unticks every channel, ticking a channel unticks it. The result keeps the questionnaire's order.
 */
export function toggleChannel(sought: readonly HelpChannel[], channel: HelpChannel, checked: boolean): HelpChannel[] {
  const next = new Set(checked && channel === NO_HELP ? [] : sought.filter((c) => c !== NO_HELP || !checked));
  if (checked) next.add(channel);
  else next.delete(channel);
  return HELP_CHANNELS.filter((c) => next.has(c));
}

/** Administration channels the user ticked: each gets « Avez-vous réussi à joindre l'administration ? ». */
export const reachedQuestions = (draft: FollowUpDraft): AdminChannel[] =>
  ADMIN_CHANNELS.filter((channel) => draft.help_sought.includes(channel));

/** Channels reached ("yes"): each gets « Comment évaluez-vous la qualité de l'aide obtenue ? ». */
export const qualityQuestions = (draft: FollowUpDraft): AdminChannel[] =>
  reachedQuestions(draft).filter((channel) => draft.help_reached[channel] === 'yes');

export const asksHelpOther = (draft: FollowUpDraft): boolean => draft.help_sought.includes('other');

/**
 * The wire answers (SPEC §6) for what is shown: answers to questions that disappeared (a channel
 * unticked after answering for it) are left out, free text is trimmed, empty answers omitted.
 */
export function followUpAnswers(draft: FollowUpDraft): FollowUpAnswers {
  const answers: FollowUpAnswers = {};
  if (draft.clarity !== undefined) answers.clarity = draft.clarity;
  if (draft.help_sought.length > 0) answers.help_sought = [...draft.help_sought];
  const other = draft.help_other.trim();
  if (other && asksHelpOther(draft)) answers.help_other = other;
  const reached = pick(draft.help_reached, reachedQuestions(draft));
  if (reached) answers.help_reached = reached;
  const quality = pick(draft.help_quality, qualityQuestions(draft));
  if (quality) answers.help_quality = quality;
  const comment = draft.comment.trim();
  if (comment) answers.comment = comment;
  return answers;
}

function pick<V>(values: Partial<Record<AdminChannel, V>>, channels: AdminChannel[]): Partial<Record<AdminChannel, V>> | undefined {
  const picked: Partial<Record<AdminChannel, V>> = {};
  for (const channel of channels) if (values[channel] !== undefined) picked[channel] = values[channel];
  return Object.keys(picked).length > 0 ? picked : undefined;
}
