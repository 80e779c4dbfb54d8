package org.plasticity.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plasticity.data.Batch;
import org.plasticity.data.Dataset;
import org.tensorflow.Session;

/**
 * Evaluates a graph on the whole held-out set: every eval metric is a per-batch sum of a
 * per-example quantity, added up in double precision and divided by the number of examples
 * (exact for accuracy counts); state metrics are fetched once. Names are prefixed "test/".
 */
public final class Evaluator {
  private Evaluator() {}

  public static Map<String, Double> evaluate(Session session, TrainingGraph g, Dataset data, int batchSize) {
    Map<String, Double> sums = new LinkedHashMap<>();
    int n = data.testSize();
    if (!g.evalMetrics().isEmpty()) {
      for (int from = 0; from < n; from += batchSize) {
        int to = Math.min(n, from + batchSize);
        Batch b = data.testBatch(from, to);
        Map<String, Float> m = Tensors.runScalars(session, g, b, 0, List.of(), g.evalMetrics());
        for (Map.Entry<String, Float> e : m.entrySet()) {
          sums.merge(e.getKey(), (double) e.getValue(), Double::sum);
        }
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : sums.entrySet()) {
      out.put("test/" + e.getKey(), e.getValue() / n);
    }
    out.put("test/examples", (double) n);
    if (!g.stateMetrics().isEmpty()) {
      Map<String, Float> s = Tensors.runScalars(session, g, null, 0, List.of(), g.stateMetrics());
      s.forEach((k, v) -> out.put(k, (double) v));
    }
    return out;
  }
}
