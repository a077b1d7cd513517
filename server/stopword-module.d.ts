// The parts of the stopword package (no types of its own) that terms.ts uses: its lists, one per language.
declare module 'stopword' {
  export const ara: readonly string[];
  export const deu: readonly string[];
  export const eng: readonly string[];
  export const fra: readonly string[];
  export const ita: readonly string[];
  export const por: readonly string[];
  export const spa: readonly string[];
}
