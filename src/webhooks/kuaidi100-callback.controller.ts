import { Body, Controller, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../auth/roles.decorator.js';
import { KD100_PUSH_ACK } from '../platforms/tracking/tracking.push.js';
import { Kuaidi100CallbackReceiver } from './kuaidi100-callback.receiver.js';

/** Kuaidi100 tracking callbacks (form fields `param`, `sign`); public, the signature authenticates them. */
@Controller('webhooks/kuaidi100')
@Public()
export class Kuaidi100CallbackController {
  constructor(private readonly receiver: Kuaidi100CallbackReceiver) {}

  @Post()
  async callback(@Body() form: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const receipt = await this.receiver.receive(form ?? {});
    if (receipt.ok) {
      res.status(200).type('application/json').send(KD100_PUSH_ACK);
      return;
    }
    res.status(400).json({ result: false, returnCode: '400', message: receipt.reason });
  }
}
