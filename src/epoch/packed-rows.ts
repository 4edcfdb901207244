/**
 * Sparse rows packed the way the neuron table (`SubnetNeurons`) stores them: per UID one `Uint32Array` of
 * `(uid << 16) | value` entries, explicit zeros kept. The block model hands the engine its neurons' weights and
 * bonds this way — the sparse layout without building `[uid, value]` pairs — and gets the bonds back as sparse rows.
 * An internal spelling (the engine reads it; the public input types do not list it).
 */
export class PackedRows {
  /** One row per UID (the table's rows, not copied: an epoch reads them once, before control returns). */
  readonly rows: readonly Uint32Array[];
  constructor(rows: readonly Uint32Array[]) {
    this.rows = rows;
  }
}
