package org.plasticity.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * TensorBoard event files, written with TF's own summary ops in a small graph of their own (so
 * the model graph stays clean): scalars and images.
 */
public final class EventsWriter implements AutoCloseable {
  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TInt64> step;
  private final Placeholder<TString> tag;
  private final Placeholder<TFloat32> value;
  private final Placeholder<TUint8> image;
  private final Op writeScalar;
  private final Op writeImage;
  private final Op flush;
  private final Op close;

  public EventsWriter(Path logdir) {
    try {
      Files.createDirectories(logdir);
    } catch (java.io.IOException e) {
      throw new UserError(logdir + ": cannot create events directory (" + e.getMessage() + ")", e);
    }
    Ops tf = Ops.create(graph);
    SummaryWriter writer = tf.summary.summaryWriter(SummaryWriter.sharedName("plasticity_events"));
    Op create = tf.summary.createSummaryFileWriter(writer, tf.constant(logdir.toAbsolutePath().toString()),
        tf.constant(10), tf.constant(5000), tf.constant(".plasticity"));
    step = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
    tag = tf.placeholder(TString.class, Placeholder.shape(Shape.scalar()));
    value = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    image = tf.placeholder(TUint8.class, Placeholder.shape(Shape.of(1, -1, -1, 1)));
    writeScalar = tf.summary.writeScalarSummary(writer, step, tag, value);
    writeImage = tf.summary.writeImageSummary(writer, step, tag, image, badColor(tf));
    flush = tf.summary.flushSummaryWriter(writer);
    close = tf.summary.closeSummaryWriter(writer);
    session = new Session(graph);
    session.run(create);
  }

  /** The colour TF paints non-finite pixels with (red). */
  private static org.tensorflow.Operand<TUint8> badColor(Ops tf) {
    return tf.dtypes.cast(tf.constant(new int[] {255, 0, 0, 255}), TUint8.class);
  }

  public synchronized void scalars(long stepValue, Map<String, ? extends Number> values) {
    for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
      try (TInt64 s = TInt64.scalarOf(stepValue);
          TString t = TString.scalarOf(e.getKey());
          TFloat32 v = TFloat32.scalarOf(e.getValue().floatValue())) {
        session.runner().feed(step, s).feed(tag, t).feed(value, v).addTarget(writeScalar).run();
      }
    }
    session.run(flush);
  }

  /** A grey-scale image, values 0..255, row-major [height][width]. */
  public synchronized void image(long stepValue, String name, byte[] pixels, int height, int width) {
    try (TInt64 s = TInt64.scalarOf(stepValue);
        TString t = TString.scalarOf(name);
        TUint8 img = TUint8.tensorOf(Shape.of(1, height, width, 1),
            org.tensorflow.ndarray.buffer.DataBuffers.of(pixels, true, false))) {
      session.runner().feed(step, s).feed(tag, t).feed(image, img).addTarget(writeImage).run();
    }
    session.run(flush);
  }

  @Override
  public synchronized void close() {
    session.run(close);
    session.close();
    graph.close();
  }
}
