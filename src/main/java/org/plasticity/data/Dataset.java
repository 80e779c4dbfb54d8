package org.plasticity.data;

import java.util.Map;

/**
 * Examples for training and evaluation. Training batches are a pure function of the step, so a
 * resumed run sees exactly the batches an uninterrupted one would.
 */
public interface Dataset {
  /** Field name to row width, in a stable order (e.g. images 784, labels 10). */
  Map<String, Integer> widths();

  /** The training batch of a (zero-based) step. */
  Batch trainBatch(long step, int batchSize);

  /** Number of held-out test examples. */
  int testSize();

  /** Test examples [from, to). */
  Batch testBatch(int from, int to);

  /** Number of training examples (for epochs); generated tasks report Long.MAX_VALUE. */
  long trainSize();
}
