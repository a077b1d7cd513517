import { describe, expect, test } from 'vitest';
import {
  emptyDraft,
  followUpAnswers,
  qualityQuestions,
  reachedQuestions,
  toggleChannel,
  type FollowUpDraft,
} from '../../shared/follow-up-draft.ts';
import { FollowUpAnswersSchema } from '../../server/schemas/review-schemas.ts';

const draft = (change: Partial<FollowUpDraft>): FollowUpDraft => ({ ...emptyDraft(), ...change });

describe('help channels (SPEC §3)', () => {
  test('« Je n’ai pas eu besoin d’aide » unticks every channel already ticked', () => {
    expect(toggleChannel(['phone', 'relative', 'other'], 'none', true)).toEqual(['none']);
  });

  test('ticking a channel unticks « Je n’ai pas eu besoin d’aide »', () => {
    expect(toggleChannel(['none'], 'email', true)).toEqual(['email']);
  });

  test('channels keep the questionnaire’s order, whatever the order they were ticked in', () => {
    expect(toggleChannel(toggleChannel(['websites'], 'chat', true), 'counter', true)).toEqual(['counter', 'chat', 'websites']);
  });

  test('unticking a channel keeps the others', () => {
    expect(toggleChannel(['phone', 'email'], 'phone', false)).toEqual(['email']);
  });
});

describe('follow-up questions shown', () => {
  test('« Avez-vous réussi à joindre l’administration ? » is asked for each administration channel ticked, and only those', () => {
    expect(reachedQuestions(draft({ help_sought: ['phone', 'relative', 'chat'] }))).toEqual(['phone', 'chat']);
    expect(reachedQuestions(draft({ help_sought: ['relative', 'websites'] }))).toEqual([]);
  });

  test('the quality of the help is asked only for channels reached', () => {
    const answers = draft({ help_sought: ['counter', 'phone', 'email'], help_reached: { counter: 'yes', phone: 'no', email: 'yes' } });
    expect(qualityQuestions(answers)).toEqual(['counter', 'email']);
  });
});

describe('wire answers (SPEC §6)', () => {
  test('nothing answered gives no answers at all', () => {
    expect(followUpAnswers(emptyDraft())).toEqual({});
  });

  test('a complete draft gives exactly the API’s shape', () => {
    const answers = followUpAnswers(
      draft({
        clarity: 4,
        help_sought: ['phone', 'other'],
        help_other: '  un forum  ',
        help_reached: { phone: 'yes' },
        help_quality: { phone: 2 },
        comment: ' Trop long. ',
      }),
    );
    expect(answers).toEqual({
      clarity: 4,
      help_sought: ['phone', 'other'],
      help_other: 'un forum',
      help_reached: { phone: 'yes' },
      help_quality: { phone: 2 },
      comment: 'Trop long.',
    });
    expect(FollowUpAnswersSchema.safeParse(answers).success).toBe(true);
  });

  test('answers to questions no longer shown are left out, so the API never sees them as inconsistent', () => {
    // Phone was ticked, answered, then unticked; "other" was described, then unticked; email reached "no" after a quality was given.
    const answers = followUpAnswers(
      draft({
        help_sought: ['email'],
        help_other: 'un forum',
        help_reached: { phone: 'yes', email: 'no' },
        help_quality: { phone: 5, email: 3 },
      }),
    );
    expect(answers).toEqual({ help_sought: ['email'], help_reached: { email: 'no' } });
    expect(FollowUpAnswersSchema.safeParse(answers).success).toBe(true);
  });

  test('blank free text is not an answer', () => {
    expect(followUpAnswers(draft({ comment: '   ', help_sought: ['other'], help_other: ' ' }))).toEqual({ help_sought: ['other'] });
  });
});
