// Suggested tags (SPEC §8 "Triage"): each entity's model (tag-model.ts) is trained once a UTC day by
// the `tag_models` job row, which one collector of several claims (as alerts and digests are decided),
// and read beside each listed review that has no tag yet. A suggestion is only ever shown: a member
// applies it with a click, through the triage route a manual tag takes.
import { utcDay } from '../../shared/feed-window.ts';
import { shareEventLoop } from '../event-loop-share.ts';
import { JOB_LEASE_MS } from './lifetimes.ts';
import type { ReviewRecord, Store } from '../store/store.ts';
import { suggestTag, type TagModel, trainTagModel } from '../tag-model.ts';
import { termsOf } from '../terms.ts';

/** What a listed review is shown beside its tags: the tag, and how often the model was right. */
export interface TagSuggestion {
  tag: { id: number; name: string };
  /** Share of its held-out suggestions that members had set, 0 … 1. */
  precision: number;
}

/** One run of the training, if this collector claims the job and today's is not done; resolves with the models stored. */
export function tagModelJob({
  store,
  now,
  termMinReviews,
}: {
  store: Store;
  now: () => Date;
  /** TERM_MIN_REVIEWS: a term fewer reviews wrote is never part of a model. */
  termMinReviews: number;
}): () => Promise<number> {
  return async () => {
    const at = now().getTime();
    const today = utcDay(new Date(at));
    const raw = await store.notifications.claimJob('tag_models', at, JOB_LEASE_MS);
    if (raw === undefined) return 0;
    const state = JSON.parse(raw) as { doneDay?: string };
    let trained = 0;
    try {
      if (state.doneDay === today) return 0;
      for (const entity of await store.entities.list()) {
        const model = trainTagModel(await store.tags.confirmed(entity.id), termMinReviews);
        await store.tags.saveModel(entity.id, model ? JSON.stringify(model) : null, at);
        if (model) trained++;
        // Counting an entity's terms is synchronous: one entity per slice of the event loop.
        await shareEventLoop();
      }
      state.doneDay = today;
      return trained;
    } finally {
      await store.notifications.releaseJob('tag_models', JSON.stringify(state));
    }
  };
}

// Each listing reads the stored model, which changes once a day: parsing it again (a vocabulary of
// thousands of terms) only when its text changed spares each page view the parse.
const parsedModels = new Map<string, { raw: string; model: TagModel }>();
function parsedModel(entityId: string, raw: string): TagModel {
  const cached = parsedModels.get(entityId);
  if (cached?.raw === raw) return cached.model;
  const model = JSON.parse(raw) as TagModel;
  parsedModels.set(entityId, { raw, model });
  return model;
}

/**
 * The suggestion for each of these reviews that has a readable comment and no tag, by review id.
 * None while the entity has no model, or while its precision could not be measured.
 */
export async function tagSuggestions(
  store: Store,
  entityId: string,
  reviews: readonly ReviewRecord[],
): Promise<Map<number, TagSuggestion>> {
  const suggestions = new Map<number, TagSuggestion>();
  const open = reviews.filter((review) => review.comment !== null && review.tags.length === 0 && review.spam === null);
  if (open.length === 0) return suggestions;
  const raw = await store.tags.model(entityId);
  if (raw === undefined) return suggestions;
  const model = parsedModel(entityId, raw);
  if (model.precision === null) return suggestions;
  // A tag deleted since the training is never suggested.
  const tags = new Map((await store.tags.list(entityId)).map((tag) => [tag.id, tag.name]));
  for (const review of open) {
    const tagId = suggestTag(
      model,
      termsOf(review.comment!, review.lang).map((term) => term.term),
    );
    const name = tagId === null ? undefined : tags.get(tagId);
    if (name !== undefined) suggestions.set(review.id, { tag: { id: tagId!, name }, precision: model.precision });
  }
  return suggestions;
}
