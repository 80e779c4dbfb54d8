package org.plasticity.core;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.plasticity.config.Configs;
import org.plasticity.config.Experiment;

/**
 * A self-describing run directory: the resolved config, the run record (seed, git revision,
 * device), metrics.jsonl, TensorBoard events, checkpoints, snapshots and the SavedModel export.
 */
public final class RunDirectory {
  public static final String CONFIG = "config.pbtxt";
  public static final String RECORD = "run.json";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  private final Path root;

  private RunDirectory(Path root) {
    this.root = root;
  }

  /** Creates a new run directory; refuses to overwrite an existing run. */
  public static RunDirectory create(Path root, Experiment resolved, JsonObject record) {
    if (Files.exists(root.resolve(CONFIG))) {
      throw new UserError(root + ": a run already exists here; use --resume " + root + " or another --run name");
    }
    try {
      Files.createDirectories(root);
      AtomicFiles.writeString(root.resolve(CONFIG), Configs.toText(resolved));
      AtomicFiles.writeString(root.resolve(RECORD), GSON.toJson(record));
    } catch (IOException e) {
      throw new UserError(root + ": cannot create run directory (" + e.getMessage() + ")", e);
    }
    return new RunDirectory(root);
  }

  /** Opens an existing run (by path, or by name under checkpoints/). */
  public static RunDirectory open(String runOrPath) {
    Path p = Path.of(runOrPath);
    if (!Files.isDirectory(p) && Files.isDirectory(Path.of("checkpoints").resolve(runOrPath))) {
      p = Path.of("checkpoints").resolve(runOrPath);
    }
    if (!Files.isRegularFile(p.resolve(CONFIG))) {
      throw new UserError(p + ": not a run directory (expected " + p.resolve(CONFIG) + ")");
    }
    return new RunDirectory(p);
  }

  public Path root() {
    return root;
  }

  public String name() {
    return root.getFileName().toString();
  }

  public Experiment config() {
    return Configs.load(root.resolve(CONFIG));
  }

  public JsonObject record() {
    try {
      return GSON.fromJson(Files.readString(root.resolve(RECORD), StandardCharsets.UTF_8), JsonObject.class);
    } catch (IOException e) {
      throw new UserError(root.resolve(RECORD) + ": cannot read run record (" + e.getMessage() + ")", e);
    }
  }

  /** Merges {@code updates} into run.json (atomically). */
  public void updateRecord(JsonObject updates) {
    JsonObject r = record();
    for (String k : updates.keySet()) {
      r.add(k, updates.get(k));
    }
    try {
      AtomicFiles.writeString(root.resolve(RECORD), GSON.toJson(r));
    } catch (IOException e) {
      throw new UserError(root.resolve(RECORD) + ": cannot write run record (" + e.getMessage() + ")", e);
    }
  }

  public Path metrics() {
    return root.resolve("metrics.jsonl");
  }

  public Path checkpoints() {
    return root.resolve("ckpt");
  }

  public Path events() {
    return root.resolve("events");
  }

  public Path snapshots() {
    return root.resolve("snapshots");
  }

  public Path savedModel() {
    return root.resolve("saved_model");
  }

  public Path prunedModel() {
    return root.resolve("saved_model_pruned");
  }

  public Path plots() {
    return root.resolve("plots");
  }
}
