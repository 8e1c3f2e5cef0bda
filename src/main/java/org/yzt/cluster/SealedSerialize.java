package org.yzt.cluster;

import java.util.ArrayList;
import java.util.List;
import org.jgroups.Message;
import org.jgroups.protocols.SERIALIZE;
import org.jgroups.util.MessageBatch;

/**
 * JGroups' {@code SERIALIZE} (the whole message, headers and addresses, inside the payload that
 * {@code ASYM_ENCRYPT} encrypts), except that a message it cannot read is dropped with a sampled line
 * instead of thrown up to the transport, which logs an ERROR with a stack trace for each: what a
 * process without our stack (no certificate) sends would otherwise fill the log at its own pace.
 */
final class SealedSerialize extends SERIALIZE {
  private final Sampled refusals = new Sampled(SealedSerialize.class, 10_000);

  @Override
  public Object up(Message msg) {
    Message inner;
    try {
      inner = deserialize(msg);
    } catch (Exception e) {
      refusals.warn("dropped a cluster message that is not one of ours, from {}", msg.getSrc());
      return null;
    }
    return up_prot.up(inner);
  }

  @Override
  public void up(MessageBatch batch) {
    List<Message> inner = new ArrayList<>(batch.size());
    for (Message msg : batch) {
      try {
        inner.add(deserialize(msg));
      } catch (Exception e) {
        refusals.warn("dropped a cluster message that is not one of ours, from {}", msg.getSrc());
      }
    }
    batch.clear();
    batch.add(inner);
    if (!batch.isEmpty()) {
      up_prot.up(batch);
    }
  }
}
