package org.plasticity.core;

import org.plasticity.config.Experiment;
import org.plasticity.data.Dataset;
import org.tensorflow.Session;

/** What listeners may look at during training. */
public record TrainingContext(
    Experiment experiment,
    TrainingGraph graph,
    Session session,
    Dataset data,
    RunDirectory run,
    long startStep,
    long totalSteps) {}
