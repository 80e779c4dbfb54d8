package org.plasticity.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.tensorflow.Session;

/**
 * TF-format checkpoints ({@code Session.save}) written atomically: each is saved into a hidden
 * staging directory and renamed to {@code step-<N>} only when complete, so a killed run never
 * leaves a half checkpoint as the latest. The last {@code keep} are kept.
 */
public final class Checkpoints {
  private static final String PREFIX = "step-";
  private static final String COMPLETE = "COMPLETE";
  private final Path dir;
  private final int keep;

  public Checkpoints(Path dir, int keep) {
    this.dir = dir;
    this.keep = keep;
  }

  public void save(Session session, long step) {
    Path staging = dir.resolve(".staging-" + step);
    Path target = dir.resolve(name(step));
    try {
      Files.createDirectories(dir);
      AtomicFiles.deleteRecursively(staging);
      Files.createDirectories(staging);
      session.save(staging.resolve("model").toString());
      Files.writeString(staging.resolve(COMPLETE), Long.toString(step));
      AtomicFiles.replaceDirectory(staging, target);
      prune();
    } catch (IOException e) {
      throw new UserError(target + ": cannot write checkpoint (" + e.getMessage() + ")", e);
    }
  }

  public void restore(Session session, long step) {
    Path prefix = dir.resolve(name(step)).resolve("model");
    session.restore(prefix.toString());
  }

  /** Steps of complete checkpoints, oldest first. */
  public List<Long> steps() {
    List<Long> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().startsWith(PREFIX))
          .filter(p -> Files.isRegularFile(p.resolve(COMPLETE)))
          .forEach(p -> {
            try {
              out.add(Long.parseLong(p.getFileName().toString().substring(PREFIX.length())));
            } catch (NumberFormatException ignored) {
              // not ours
            }
          });
    } catch (IOException e) {
      throw new UserError(dir + ": cannot list checkpoints (" + e.getMessage() + ")", e);
    }
    out.sort(null);
    return out;
  }

  public OptionalLong latest() {
    List<Long> s = steps();
    return s.isEmpty() ? OptionalLong.empty() : OptionalLong.of(s.get(s.size() - 1));
  }

  private void prune() throws IOException {
    List<Long> s = steps();
    for (int i = 0; i < s.size() - keep; i++) {
      AtomicFiles.deleteRecursively(dir.resolve(name(s.get(i))));
    }
  }

  private static String name(long step) {
    return String.format("%s%09d", PREFIX, step);
  }
}
