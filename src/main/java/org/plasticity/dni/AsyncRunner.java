package org.plasticity.dni;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.plasticity.core.StepRunner;
import org.plasticity.core.Tensors;
import org.plasticity.core.TrainingGraph;
import org.plasticity.data.Batch;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The async schedule: every layer runs on its own Java thread against the one shared Session.
 * Layer i takes a batch of activations from its inbox, updates itself from its generator's
 * synthetic gradient (one Session.run of its layer step), sends its output forward to layer i+1
 * and the gradient with respect to its input back to layer i-1 as that generator's regression
 * target. A layer receiving a target runs its generator step on the activation it kept for that
 * batch. The output layer learns from the true loss.
 *
 * <p>At most {@code queue_capacity} batches are in flight (submitted, not yet fully processed by
 * every layer and generator); the trainer's call returns as soon as its batch is queued. That
 * window bounds every inbox (at most {@code capacity} forward and {@code capacity} backward
 * messages) and every kept activation, and no thread ever blocks on a put, so the pipeline cannot
 * deadlock. On a step whose metrics are fetched (logging, checkpoint, last step) the runner
 * drains the pipeline, stops the threads, then fetches the metrics on that batch.
 */
public final class AsyncRunner implements StepRunner {
  private sealed interface Msg permits Forward, Backward, Stop {}

  private record Forward(long id, int n, float[] activation, float[] labels) implements Msg {}

  private record Backward(long id, float[] target) implements Msg {}

  private record Stop() implements Msg {}

  private record Kept(int n, float[] activation, float[] labels) {}

  private final DniModel.Parts parts;
  private final int capacity;
  private final int depth;
  private final DniModel.GeneratorSet set;
  private final List<List<Long>> layerLog = new ArrayList<>();
  private final List<List<Long>> generatorLog = new ArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Map<Long, AtomicInteger> pending = new ConcurrentHashMap<>();
  private Semaphore window;
  private List<BlockingQueue<Msg>> inboxes;
  private List<Thread> threads;

  AsyncRunner(DniModel.Parts parts) {
    this.parts = parts;
    this.capacity = parts.config().getQueueCapacity();
    this.depth = parts.depth();
    this.set = parts.active();
    for (int i = 0; i < depth; i++) {
      layerLog.add(Collections.synchronizedList(new ArrayList<>()));
      generatorLog.add(Collections.synchronizedList(new ArrayList<>()));
    }
  }

  /** The step ids whose batch layer i has processed, in its order (for tests and accounting). */
  public List<Long> layerLog(int i) {
    return List.copyOf(layerLog.get(i));
  }

  /** The step ids for which generator i has received its target and been updated. */
  public List<Long> generatorLog(int i) {
    return List.copyOf(generatorLog.get(i));
  }

  @Override
  public Map<String, Float> run(Session session, TrainingGraph g, Batch batch, long step, boolean fetch) {
    if (threads == null) {
      start(session, g);
    }
    String xName = fieldName(g, parts.x());
    String yName = fieldName(g, parts.y());
    acquireWindow(1);
    pending.put(step, new AtomicInteger(2 * depth - 1));
    inboxes.get(0).add(new Forward(step, batch.size(), batch.field(xName), batch.field(yName)));
    if (!fetch) {
      return Map.of();
    }
    drain();
    return Tensors.runScalars(session, g, batch, step, List.of(), g.metrics());
  }

  /** Waits until every submitted batch is fully processed, then stops the threads. */
  public void drain() {
    if (threads == null) {
      return;
    }
    acquireWindow(capacity);
    window.release(capacity);
    for (BlockingQueue<Msg> q : inboxes) {
      q.add(new Stop());
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while stopping the layer threads", e);
      }
    }
    threads = null;
    rethrow();
  }

  private void start(Session session, TrainingGraph g) {
    window = new Semaphore(capacity);
    inboxes = new ArrayList<>();
    threads = new ArrayList<>();
    for (int i = 0; i < depth; i++) {
      inboxes.add(new ArrayBlockingQueue<>(2 * capacity + 1));
    }
    for (int i = 0; i < depth; i++) {
      int layer = i;
      Thread t = new Thread(() -> loop(session, g, layer), "dni-layer" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void acquireWindow(int permits) {
    try {
      while (!window.tryAcquire(permits, 100, TimeUnit.MILLISECONDS)) {
        rethrow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the layer threads", e);
    }
    rethrow();
  }

  private void rethrow() {
    Throwable t = failure.get();
    if (t != null) {
      if (threads != null) {
        threads.forEach(Thread::interrupt);
        threads = null;
      }
      throw new IllegalStateException("a layer thread failed: " + t, t);
    }
  }

  private void loop(Session session, TrainingGraph g, int i) {
    Map<Long, Kept> kept = new HashMap<>();
    try {
      while (true) {
        Msg m = inboxes.get(i).take();
        if (m instanceof Stop) {
          return;
        }
        if (m instanceof Forward f) {
          forward(session, g, i, f, kept);
        } else if (m instanceof Backward b) {
          backward(session, g, i, b, kept);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
    }
  }

  /** Layer i's step on one batch; sends the output forward and the input gradient back. */
  private void forward(Session session, TrainingGraph g, int i, Forward f, Map<Long, Kept> kept) {
    boolean output = i == depth - 1;
    List<Tensor> fed = new ArrayList<>();
    try {
      Session.Runner r = session.runner();
      feed(r, fed, parts.layerInputs().get(i), f.activation(), f.n());
      feed(r, fed, parts.y(), f.labels(), f.n());
      TInt64 s = TInt64.scalarOf(f.id());
      fed.add(s);
      r.feed(g.step(), s);
      Op step = output ? parts.outputStep() : set.layerSteps().get(i);
      r.addTarget(step);
      List<Operand<TFloat32>> fetches = new ArrayList<>();
      if (!output) {
        fetches.add(parts.layerOutputs().get(i));
      }
      if (i > 0) {
        fetches.add(output ? parts.outputMessage() : set.messages().get(i));
      }
      fetches.forEach(r::fetch);
      float[] h = null;
      float[] message = null;
      try (Result res = r.run()) {
        int k = 0;
        if (!output) {
          h = Tensors.toArray((TFloat32) res.get(k++));
        }
        if (i > 0) {
          message = Tensors.toArray((TFloat32) res.get(k));
        }
      }
      layerLog.get(i).add(f.id());
      if (i > 0) {
        inboxes.get(i - 1).add(new Backward(f.id(), message));
      }
      if (!output) {
        kept.put(f.id(), new Kept(f.n(), h, f.labels()));
        inboxes.get(i + 1).add(new Forward(f.id(), f.n(), h, f.labels()));
      }
      done(f.id());
    } finally {
      fed.forEach(Tensor::close);
    }
  }

  /** Generator i's regression step onto the target layer i+1 sent back for one batch. */
  private void backward(Session session, TrainingGraph g, int i, Backward b, Map<Long, Kept> kept) {
    Kept k = kept.remove(b.id());
    if (k == null) {
      throw new IllegalStateException("layer " + i + ": gradient target for batch " + b.id() + " without its activation");
    }
    List<Tensor> fed = new ArrayList<>();
    try {
      Session.Runner r = session.runner();
      feed(r, fed, parts.generatorInputs().get(i), k.activation(), k.n());
      feed(r, fed, parts.y(), k.labels(), k.n());
      feed(r, fed, set.targets().get(i), b.target(), k.n());
      TInt64 s = TInt64.scalarOf(b.id());
      fed.add(s);
      r.feed(g.step(), s);
      r.addTarget(set.generatorSteps().get(i));
      r.run().close();
      generatorLog.get(i).add(b.id());
      done(b.id());
    } finally {
      fed.forEach(Tensor::close);
    }
  }

  private void done(long id) {
    if (pending.get(id).decrementAndGet() == 0) {
      pending.remove(id);
      window.release();
    }
  }

  private static void feed(Session.Runner r, List<Tensor> fed, Operand<TFloat32> target, float[] rows, int n) {
    int width = rows.length / n;
    TFloat32 t = Tensors.matrix(rows, n, width);
    fed.add(t);
    r.feed(target, t);
  }

  private static String fieldName(TrainingGraph g, Operand<TFloat32> placeholder) {
    for (Map.Entry<String, org.tensorflow.op.core.Placeholder<TFloat32>> e : g.inputs().entrySet()) {
      if (e.getValue() == placeholder) {
        return e.getKey();
      }
    }
    throw new IllegalStateException("placeholder is not a graph input");
  }
}
