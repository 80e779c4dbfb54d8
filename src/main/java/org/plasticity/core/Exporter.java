package org.plasticity.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;

/** SavedModel export of a graph's signatures, written to a staging directory and renamed. */
public final class Exporter {
  private Exporter() {}

  public static void export(Session session, TrainingGraph g, Path dir) {
    if (g.signatures().isEmpty()) {
      throw new UserError(dir + ": this model declares no signatures to export");
    }
    for (org.tensorflow.op.Op prep : g.exportPreparation()) {
      session.run(prep);
    }
    Path staging = dir.resolveSibling("." + dir.getFileName() + ".staging");
    try {
      AtomicFiles.deleteRecursively(staging);
      Files.createDirectories(staging.getParent());
      SavedModelBundle.exporter(staging.toString())
          .withSession(session)
          .withSignatures(g.signatures().toArray(new Signature[0]))
          .export();
      AtomicFiles.replaceDirectory(staging, dir);
    } catch (IOException e) {
      throw new UserError(dir + ": cannot export SavedModel (" + e.getMessage() + ")", e);
    }
  }
}
