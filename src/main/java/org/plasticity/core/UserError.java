package org.plasticity.core;

/**
 * A problem the user can fix (a bad file, a bad config value, a diverged run). The CLI prints
 * its message as one line, without a stack trace unless --verbose is given.
 */
public class UserError extends RuntimeException {
  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
