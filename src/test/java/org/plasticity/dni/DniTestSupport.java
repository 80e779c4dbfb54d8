package org.plasticity.dni;

import java.util.List;
import java.util.Map;
import org.plasticity.config.Configs;
import org.plasticity.config.Experiment;
import org.plasticity.core.Placement;
import org.plasticity.core.Sessions;
import org.plasticity.core.Tensors;
import org.plasticity.core.TrainingGraph;
import org.plasticity.data.Batch;
import org.plasticity.data.Dataset;
import org.plasticity.data.Datasets;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/** A small built DNI graph with its session, for tests. */
final class DniTestSupport implements AutoCloseable {
  final Experiment experiment;
  final Dataset data;
  final DniModel model = new DniModel();
  final TrainingGraph graph;
  final Session session;

  DniTestSupport(String text) {
    experiment = Configs.resolve(Configs.parse(text, "test"));
    data = Datasets.open(experiment);
    graph = model.build(experiment, data.widths(), Placement.CPU);
    session = Sessions.create(graph.graph(), experiment.getTrain());
  }

  /** A binary-addition experiment with the given dni block and train overrides. */
  static String addition(String dni, String train) {
    return "seed: 3 data { source: BINARY_ADDITION bits: 4 generated_test_size: 500 } "
        + "train { steps: 100 batch_size: 16 intra_op_threads: 1 inter_op_threads: 1 tensorboard: false " + train + " } "
        + "dni { loss: SIGMOID_CROSS_ENTROPY " + dni + " }";
  }

  DniModel.Parts parts() {
    return model.parts();
  }

  Batch batch(long step) {
    return data.trainBatch(step, experiment.getTrain().getBatchSize());
  }

  Map<String, Float> step(long step, boolean fetch) {
    return graph.stepRunner().run(session, graph, batch(step), step, fetch);
  }

  float[] value(Operand<TFloat32> op) {
    return Tensors.fetch(session, op);
  }

  /** Fetches tensors with a batch fed. */
  List<float[]> fetch(Batch b, List<? extends Operand<TFloat32>> ops) {
    List<org.tensorflow.Tensor> fed = new java.util.ArrayList<>();
    try {
      Session.Runner r = session.runner();
      Tensors.feed(r, graph, b, 0, fed);
      ops.forEach(r::fetch);
      try (org.tensorflow.Result res = r.run()) {
        List<float[]> out = new java.util.ArrayList<>();
        for (int k = 0; k < ops.size(); k++) {
          out.add(Tensors.toArray((TFloat32) res.get(k)));
        }
        return out;
      }
    } finally {
      fed.forEach(org.tensorflow.Tensor::close);
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
