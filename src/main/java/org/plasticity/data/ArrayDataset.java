package org.plasticity.data;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An in-memory dataset. Training batches walk through reshuffled epochs: global example position
 * p = step * batch + k falls in epoch p / n at offset p % n of that epoch's permutation, which
 * depends only on (seed, epoch). A batch may straddle two epochs, as TF's old next_batch did.
 */
public final class ArrayDataset implements Dataset {
  private final Map<String, Integer> widths;
  private final Map<String, float[]> train;
  private final Map<String, float[]> test;
  private final int trainCount;
  private final int testCount;
  private final long seed;
  private long cachedEpoch = -1;
  private int[] cachedPermutation;
  /** Run over the training fields, in place, before the first training batch; then null. */
  private Consumer<Map<String, float[]>> prepareTrain;

  /** Fields given as flattened arrays of {@code count * width} floats. */
  public ArrayDataset(Map<String, Integer> widths, Map<String, float[]> train, Map<String, float[]> test, long seed) {
    this(widths, train, test, seed, null);
  }

  /**
   * The same, with a transformation of the training fields (in place, same shapes) that runs only
   * when the first training batch is asked for -- e.g. a teacher's labels, which tools reading only
   * the widths or the test split (eval, export, inspect, bench) never pay for.
   */
  public ArrayDataset(Map<String, Integer> widths, Map<String, float[]> train, Map<String, float[]> test, long seed,
      Consumer<Map<String, float[]>> prepareTrain) {
    this.prepareTrain = prepareTrain;
    this.widths = new LinkedHashMap<>(widths);
    this.train = new LinkedHashMap<>(train);
    this.test = new LinkedHashMap<>(test);
    this.trainCount = count(widths, train, "train");
    this.testCount = count(widths, test, "test");
    this.seed = seed;
    if (trainCount == 0) {
      throw new IllegalArgumentException("training set is empty");
    }
  }

  private static int count(Map<String, Integer> widths, Map<String, float[]> fields, String which) {
    int n = -1;
    for (Map.Entry<String, Integer> e : widths.entrySet()) {
      float[] a = fields.get(e.getKey());
      if (a == null) {
        throw new IllegalArgumentException(which + " set lacks field " + e.getKey());
      }
      int c = a.length / e.getValue();
      if (n >= 0 && c != n) {
        throw new IllegalArgumentException(which + " field " + e.getKey() + " has " + c + " rows, expected " + n);
      }
      n = c;
    }
    return n;
  }

  @Override
  public Map<String, Integer> widths() {
    return widths;
  }

  @Override
  public long trainSize() {
    return trainCount;
  }

  @Override
  public int testSize() {
    return testCount;
  }

  @Override
  public synchronized Batch trainBatch(long step, int batchSize) {
    if (prepareTrain != null) {
      prepareTrain.accept(train);
      prepareTrain = null;
    }
    int[] rows = new int[batchSize];
    long start = step * batchSize;
    for (int k = 0; k < batchSize; k++) {
      long p = start + k;
      rows[k] = permutation(p / trainCount)[(int) (p % trainCount)];
    }
    return gather(train, rows);
  }

  @Override
  public Batch testBatch(int from, int to) {
    int[] rows = new int[to - from];
    for (int k = 0; k < rows.length; k++) {
      rows[k] = from + k;
    }
    return gather(test, rows);
  }

  private int[] permutation(long epoch) {
    if (epoch != cachedEpoch) {
      cachedPermutation = Seeds.permutation(trainCount, Seeds.mix(seed, 0x5eed_da7aL, epoch));
      cachedEpoch = epoch;
    }
    return cachedPermutation;
  }

  private Batch gather(Map<String, float[]> source, int[] rows) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : widths.entrySet()) {
      int w = e.getValue();
      float[] src = source.get(e.getKey());
      float[] dst = new float[rows.length * w];
      for (int k = 0; k < rows.length; k++) {
        System.arraycopy(src, rows[k] * w, dst, k * w, w);
      }
      out.put(e.getKey(), dst);
    }
    return new Batch(rows.length, out);
  }
}
