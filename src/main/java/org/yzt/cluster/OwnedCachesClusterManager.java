package org.yzt.cluster;

import io.vertx.core.Completable;
import io.vertx.core.Vertx;
import io.vertx.ext.cluster.infinispan.InfinispanClusterManager;
import org.infinispan.manager.DefaultCacheManager;

/**
 * vertx-infinispan's cluster manager over a cache manager we build (our JGroups stack): started when
 * Vert.x joins and stopped when it leaves, so that a node stopped with SIGTERM says goodbye to the
 * view at once (vertx-infinispan leaves a cache manager it was handed running).
 */
final class OwnedCachesClusterManager extends InfinispanClusterManager {
  private final DefaultCacheManager caches;
  private volatile Vertx vertx;

  OwnedCachesClusterManager(DefaultCacheManager caches) {
    super(caches);
    this.caches = caches;
  }

  @Override
  public void init(Vertx vertx) {
    this.vertx = vertx;
    super.init(vertx);
  }

  @Override
  public void join(Completable<Void> promise) {
    vertx.<Void>executeBlocking(() -> {
      caches.start(); // connects the channel: discovery, AUTH, the group key
      return null;
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        promise.fail(ar.cause());
      } else {
        super.join(promise);
      }
    });
  }

  @Override
  public void leave(Completable<Void> promise) {
    super.leave((ignored, failure) -> vertx.<Void>executeBlocking(() -> {
      caches.stop();
      return null;
    }, false).onComplete(ar -> promise.complete(null, failure != null ? failure : ar.cause())));
  }
}
