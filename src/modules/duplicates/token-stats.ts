/**
 * How common each name token is among the organisations compared (document frequency), so that
 * rare words ("Kpalimé", "Cochabamba") weigh more than generic ones ("association", "comité"):
 * inverse document frequency, as in TF-IDF.
 */
export class TokenStats {
  private readonly frequencies = new Map<string, number>();
  private readonly weights = new Map<string, number>();
  private documents = 0;

  /** Counts the distinct tokens of one name. */
  add(tokens: readonly string[]): void {
    this.documents++;
    this.weights.clear();
    for (const token of new Set(tokens)) this.frequencies.set(token, (this.frequencies.get(token) ?? 0) + 1);
  }

  get size(): number {
    return this.documents;
  }

  frequency(token: string): number {
    return this.frequencies.get(token) ?? 0;
  }

  /** Smoothed IDF: ln(1 + N / (df + 1)); a word never seen weighs like a word seen once. */
  weight(token: string): number {
    let w = this.weights.get(token);
    if (w === undefined) {
      w = Math.log(1 + Math.max(this.documents, 1) / (Math.max(this.frequency(token), 1) + 1));
      this.weights.set(token, w);
    }
    return w;
  }

  static from(names: Iterable<readonly string[]>): TokenStats {
    const stats = new TokenStats();
    for (const tokens of names) stats.add(tokens);
    return stats;
  }
}
