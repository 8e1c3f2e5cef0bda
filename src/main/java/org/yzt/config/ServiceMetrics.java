package org.yzt.config;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;

/**
 * Vert.x's metrics for this node (Micrometer's), without the dev profile's simulated peers: their
 * HTTP server on {@code simulators.port} answers the node's own outbound calls, so metering it would
 * count every carrier, enterprise and SMS call a second time in {@code vertx_http_server_*}, mixed
 * with the public API's requests, and cost as much CPU per call as the signature check.
 * Everything else is handed to the wrapped metrics as it is.
 */
public final class ServiceMetrics implements VertxMetrics {
  private final VertxMetrics delegate;
  private final int unmeteredPort;

  private ServiceMetrics(VertxMetrics delegate, int unmeteredPort) {
    this.delegate = delegate;
    this.unmeteredPort = unmeteredPort;
  }

  /** {@code factory}'s metrics, minus the HTTP server listening on {@code simulatorPort} (none when ≤ 0). */
  public static VertxMetricsFactory factory(VertxMetricsFactory factory, int simulatorPort) {
    return new VertxMetricsFactory() {
      @Override
      public VertxMetrics metrics(VertxOptions options) {
        return new ServiceMetrics(factory.metrics(options), simulatorPort);
      }
    };
  }

  private boolean unmetered(SocketAddress local) {
    return unmeteredPort > 0 && local != null && local.port() == unmeteredPort;
  }

  @Override
  public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
    return unmetered(localAddress) ? null : delegate.createHttpServerMetrics(options, localAddress);
  }

  @Override
  public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress localAddress) {
    return unmetered(localAddress) ? null : delegate.createNetServerMetrics(options, localAddress);
  }

  @Override
  public EventBusMetrics createEventBusMetrics() {
    return delegate.createEventBusMetrics();
  }

  @Override
  public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
    return delegate.createClientMetrics(remoteAddress, type, namespace);
  }

  @Override
  public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
    return delegate.createHttpClientMetrics(options);
  }

  @Override
  public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
    return delegate.createNetClientMetrics(options);
  }

  @Override
  public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
    return delegate.createDatagramSocketMetrics(options);
  }

  @Override
  public PoolMetrics<?, ?> createPoolMetrics(String poolType, String poolName, int maxPoolSize) {
    return delegate.createPoolMetrics(poolType, poolName, maxPoolSize);
  }

  @Override
  public void vertxCreated(Vertx vertx) {
    delegate.vertxCreated(vertx);
  }

  @Override
  public boolean isMetricsEnabled() {
    return delegate.isMetricsEnabled();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
