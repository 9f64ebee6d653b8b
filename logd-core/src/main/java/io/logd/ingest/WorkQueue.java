package io.logd.ingest;

import io.logd.store.CommitGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The work of one thread that keeps derived state (the index, the rollups): commit groups in
 * commit order, and tasks that must not race with them (commits, rebuilds, deletes), in one FIFO.
 * The owner's thread {@link #poll}s; other threads {@link #add} groups and {@link #run} tasks.
 */
public final class WorkQueue {
  /** Work run on the owner's thread. */
  @FunctionalInterface
  public interface Task {
    void run() throws IOException;
  }

  private final LinkedBlockingQueue<Object> items = new LinkedBlockingQueue<>();

  public void add(CommitGroup group) {
    items.add(group);
  }

  /** Queues a task without waiting for it. */
  public void add(Task task) {
    items.add(task);
  }

  /** The next {@link CommitGroup} or {@link Task}, or null after {@code millis} without one. */
  public Object poll(long millis) throws InterruptedException {
    return items.poll(millis, TimeUnit.MILLISECONDS);
  }

  public boolean isEmpty() {
    return items.isEmpty();
  }

  /**
   * Runs {@code task} on {@code owner} after the work queued before it, and waits; runs it here
   * when called on the owner or when the owner is not running.
   */
  public void run(Thread owner, Task task) throws IOException {
    if (Thread.currentThread() == owner || !owner.isAlive()) {
      task.run();
      return;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    items.add((Task) () -> {
      try {
        task.run();
        done.complete(null);
      } catch (IOException | RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    await(done);
  }

  /** Waits for work done on another thread, rethrowing its failure as the IOException it was. */
  public static void await(Future<?> work) throws IOException {
    try {
      work.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for a worker", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException("worker failed: " + cause, cause);
    }
  }
}
