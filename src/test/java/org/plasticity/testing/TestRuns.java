package org.plasticity.testing;

import java.nio.file.Path;
import org.plasticity.config.Configs;
import org.plasticity.config.Experiment;

/** Small experiment configs for tests. */
public final class TestRuns {
  private TestRuns() {}

  /** A small manifold on generated MNIST-like data in {@code dataDir}. */
  public static Experiment smallMnistManifold(Path dataDir, int nComp, long steps) {
    return Configs.resolve(Configs.parse(
        "name: 'small' seed: 7\n"
            + "data { source: MNIST dir: '" + dataDir + "' validation_holdout: 0 }\n"
            + "train { steps: " + steps + " batch_size: 20 log_every: 5 checkpoint_every: 10 eval_batch_size: 50"
            + "  tensorboard: false optimizer { learning_rate: 0.002 } }\n"
            + "manifold { n_comp: " + nComp + " }\n",
        "test"));
  }

  /** The original toy experiment with a given number of steps. */
  public static Experiment toy(long steps) {
    return Configs.resolve(Configs.parse(
        "name: 'toy' seed: 1\n"
            + "data { source: TOY_SUMS generated_test_size: 2000 }\n"
            + "train { steps: " + steps + " batch_size: 50 log_every: 100 checkpoint_every: 500 eval_batch_size: 2000"
            + "  tensorboard: false optimizer { learning_rate: 0.001 } }\n"
            + "manifold { n_input: 5 n_comp: 16 n_output: 4 period: 5 alpha_init_stddev: 0.1 gamma_init_stddev: 0.1"
            + "  theta_init_stddev: 0.1 phi_init_stddev: 0.0031415927 sigma_init_mean: 3.3437 sigma_init_stddev: 1.5336"
            + "  mu_init_stddev: 2 objective: MEAN_SQUARED_ERROR objective_coef: 10000 flow_coef: 1 sparsity_coef: 0.1 }\n",
        "test"));
  }
}
