// Which part of a window the JDMA drop-in may answer for without letting two answers be subtracted
// to reveal fewer reviews than the publication threshold (SPEC §4). Its windows are any two days:
// "12 months" minus "12 months and a day" would otherwise give one day's reviews.
//
// A procedure's review days, from its first, are cut into blocks of consecutive days: a block
// closes on the day its reviews reach the threshold. A window is answered for the whole blocks it
// contains, and nothing else, so every answer is a sum of blocks, and so is any difference or
// combination of answers: none isolates fewer reviews than the threshold. The blocks depend only on
// the reviews, never on the request, and a day's count does not change once the day is over, so
// they stay where they are as days go by. Reviews after the last block closed are not answered for
// until it closes. With a threshold of 1, every review day is a block: any window is answered exactly.

/** One UTC day's number of reviews (its satisfaction answers), days in order, none with 0. */
export interface ReviewDay {
  day: string;
  reviews: number;
}

/** The first and last review days of the whole blocks inside [from, to], or undefined when it holds none. */
export function publishableSpan(
  days: readonly ReviewDay[],
  minReviews: number,
  from: string,
  to: string,
): { from: string; to: string } | undefined {
  let span: { from: string; to: string } | undefined;
  let blockStart: string | undefined;
  let sum = 0;
  for (const { day, reviews } of days) {
    blockStart ??= day;
    sum += reviews;
    if (sum < minReviews) continue;
    if (blockStart >= from && day <= to) span = { from: span?.from ?? blockStart, to: day };
    blockStart = undefined;
    sum = 0;
  }
  return span;
}
