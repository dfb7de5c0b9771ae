import { LoggerService } from '@backstage/backend-plugin-api';
import {
  KAITO_GPU_POOLS_SIGNAL_CHANNEL,
  KaitoChangeSignal,
  KaitoChangeTopic,
  kaitoEntitySignalChannel,
} from '@kaito-backstage/plugin-kaito-common';
import { SignalsService } from '@backstage/plugin-signals-node';
import { SignalThrottle } from './SignalThrottle';

export interface KaitoChangePublisherOptions {
  /** Window in which an entity's changes become one signal, after the first. Default 250 ms. */
  entityIntervalMs?: number;
  /** The same for a cluster's GPU pools (each read asks ARM). Default 1 s. */
  poolsIntervalMs?: number;
}

/**
 * Publishes "something of entity X changed" (and "the GPU pools of cluster
 * C changed") through Backstage signals, as a broadcast on the entity's
 * channel: the message names only the lists that changed, so it tells a
 * subscriber nothing it could not see; the views then re-read through the
 * permission-checked REST API. Changes are coalesced per channel
 * ({@link SignalThrottle}).
 */
export class KaitoChangePublisher {
  private readonly entities: SignalThrottle<KaitoChangeTopic>;
  private readonly pools: SignalThrottle<KaitoChangeTopic>;

  constructor(
    private readonly signals: SignalsService,
    private readonly logger: LoggerService,
    options: KaitoChangePublisherOptions = {},
  ) {
    this.entities = new SignalThrottle(
      options.entityIntervalMs ?? 250,
      (ref, topics) => this.send(kaitoEntitySignalChannel(ref), { topics }),
    );
    this.pools = new SignalThrottle(
      options.poolsIntervalMs ?? 1000,
      (cluster, topics) =>
        this.send(KAITO_GPU_POOLS_SIGNAL_CHANNEL, { topics, cluster }),
    );
  }

  /** Something the entity's views show changed (`topic` names which list). */
  entityChanged(entityRef: string, topic: KaitoChangeTopic): void {
    this.entities.push(entityRef.toLocaleLowerCase('en-US'), topic);
  }

  /** The GPU pools of a cluster (or what the pools page shows of them) changed. */
  poolsChanged(cluster: string): void {
    this.pools.push(cluster, 'gpu-pools');
  }

  stop(): void {
    this.entities.stop();
    this.pools.stop();
  }

  private send(channel: string, message: KaitoChangeSignal): void {
    this.signals
      .publish({ recipients: { type: 'broadcast' }, channel, message })
      .catch(error =>
        this.logger.warn(
          `Could not publish the KAITO signal ${channel}: ${error}`,
        ),
      );
  }
}
