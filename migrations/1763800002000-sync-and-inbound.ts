import { Table, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';
import { date, id, int, longText, nullable, str } from './support/columns.js';

/** Polling state per shop and resource, and raw inbound events. */
export class SyncAndInbound1763800002000 implements MigrationInterface {
  name = 'SyncAndInbound1763800002000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'sync_states',
        columns: [
          id(),
          int('shop_id'),
          str('resource', 32),
          longText(qr, 'cursor', nullable),
          date('window_start', nullable),
          date('window_end', nullable),
          date('last_success_at', nullable),
          int('failure_count'),
          str('last_error', 512, nullable),
          date('updated_at'),
        ],
        uniques: [new TableUnique({ name: 'uq_sync_states_shop_resource', columnNames: ['shop_id', 'resource'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'inbound_events',
        columns: [
          id(),
          str('platform', 16),
          str('source', 24),
          str('event_id', 128),
          int('shop_id', nullable),
          str('topic', 64),
          longText(qr, 'payload'),
          str('status', 16),
          str('error', 512, nullable),
          date('received_at'),
          date('processed_at', nullable),
        ],
        uniques: [new TableUnique({ name: 'uq_inbound_events_platform_event', columnNames: ['platform', 'event_id'] })],
        indices: [new TableIndex({ name: 'ix_inbound_events_status', columnNames: ['status', 'received_at'] })],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('inbound_events');
    await qr.dropTable('sync_states');
  }
}
