package org.plasticity.data;

import org.plasticity.config.DataConfig;
import org.plasticity.config.Experiment;
import org.plasticity.core.UserError;

/** Opens the dataset an experiment names. */
public final class Datasets {
  private Datasets() {}

  /**
   * The SHA-256 of the experiment's distillation teacher (its SavedModel's files), or null without
   * one; resolving it checks that the teacher exists.
   */
  public static String teacherFingerprint(Experiment experiment) {
    return Distillation.fingerprint(experiment.getData());
  }

  public static Dataset open(Experiment experiment) {
    DataConfig cfg = experiment.getData();
    long seed = experiment.getSeed();
    boolean images = cfg.getSource() == DataConfig.Source.MNIST || cfg.getSource() == DataConfig.Source.FASHION_MNIST;
    if (!images && (cfg.getTeacherWeight() != 0 || !cfg.getTeacher().isEmpty())) {
      throw new UserError("data.teacher: distillation is for the image sets (MNIST, FASHION_MNIST), not " + cfg.getSource());
    }
    return switch (cfg.getSource()) {
      case MNIST, FASHION_MNIST -> ImageSets.load(cfg, seed);
      case TOY_SUMS -> ToySums.create(seed, cfg.getGeneratedTestSize());
      // Teacher and inputs are drawn inside the Langevin perceptron's graph (thermo).
      case TEACHER_PERCEPTRON -> new InGraphExamples(cfg.getGeneratedTestSize());
      case ENCODER_PATTERNS -> EncoderPatterns.create(experiment.getRecirculation().getVisible(), seed);
      case CIRCLE -> Circle.create(seed, cfg.getGeneratedTestSize(), cfg.getCircleRadius());
      case RANDOM_PATTERNS -> RandomPatterns.create(experiment.getHopfield().getPatterns(),
          experiment.getHopfield().getUnits(), seed);
      case BINARY_ADDITION -> BinaryAddition.create(cfg.getBits(), seed, cfg.getGeneratedTestSize());
      default -> throw new UserError("data.source: " + cfg.getSource() + " is not available for this system yet");
    };
  }
}
