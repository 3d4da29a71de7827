import { Table, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';
import { date, id, int, str } from './support/columns.js';

/**
 * Inbound push counters (rejections never reach inbound_events, so they are counted here) and the
 * leases that let only one worker hold a platform's message connection per app.
 */
export class PushCountersAndLeases1763800007000 implements MigrationInterface {
  name = 'PushCountersAndLeases1763800007000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'inbound_counters',
        columns: [id(), str('platform', 16), str('source', 24), str('outcome', 32), int('count'), date('updated_at')],
        uniques: [new TableUnique({ name: 'uq_inbound_counters_key', columnNames: ['platform', 'source', 'outcome'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'push_leases',
        columns: [id(), str('name', 96, { isUnique: true }), str('holder', 96), date('expires_at'), date('updated_at')],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('push_leases');
    await qr.dropTable('inbound_counters');
  }
}
