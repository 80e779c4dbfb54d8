package org.plasticity.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plasticity.data.Batch;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** Conversions between batches, Java arrays and tensors, and small run helpers. */
public final class Tensors {
  private Tensors() {}

  public static TFloat32 matrix(float[] flat, int rows, int cols) {
    return TFloat32.tensorOf(Shape.of(rows, cols), DataBuffers.of(flat, true, false));
  }

  public static float[] toArray(TFloat32 t) {
    float[] out = new float[(int) t.shape().size()];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  /** Runs {@code targets} with the batch fed, fetching {@code fetches}; returns scalars by name. */
  public static Map<String, Float> runScalars(Session session, TrainingGraph g, Batch batch, long step,
      List<? extends org.tensorflow.op.Op> targets, Map<String, Operand<TFloat32>> fetches) {
    List<Tensor> fed = new ArrayList<>();
    try {
      Session.Runner r = session.runner();
      feed(r, g, batch, step, fed);
      for (org.tensorflow.op.Op op : targets) {
        r.addTarget(op);
      }
      List<String> names = new ArrayList<>(fetches.keySet());
      for (String n : names) {
        r.fetch(fetches.get(n));
      }
      Map<String, Float> out = new LinkedHashMap<>();
      try (Result res = r.run()) {
        for (int i = 0; i < names.size(); i++) {
          out.put(names.get(i), ((TFloat32) res.get(i)).getFloat());
        }
      }
      return out;
    } finally {
      fed.forEach(Tensor::close);
    }
  }

  /** Feeds every graph input that the batch has, and the step. */
  public static void feed(Session.Runner r, TrainingGraph g, Batch batch, long step, List<Tensor> opened) {
    if (batch != null) {
      for (Map.Entry<String, Placeholder<TFloat32>> in : g.inputs().entrySet()) {
        float[] data = batch.field(in.getKey());
        int width = (int) in.getValue().shape().get(1);
        TFloat32 t = matrix(data, batch.size(), width);
        opened.add(t);
        r.feed(in.getValue(), t);
      }
    }
    TInt64 s = TInt64.scalarOf(step);
    opened.add(s);
    r.feed(g.step(), s);
  }

  /** Fetches one float tensor (no feeds needed), e.g. the closeness matrix. */
  public static float[] fetch(Session session, Operand<TFloat32> op) {
    try (Result res = session.runner().fetch(op).run()) {
      return toArray((TFloat32) res.get(0));
    }
  }
}
