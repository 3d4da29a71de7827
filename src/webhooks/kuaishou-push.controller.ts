import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../auth/roles.decorator.js';
import { KS_PUSH_ACK } from '../platforms/kuaishou/kuaishou.push.js';
import { KuaishouPushReceiver } from './kuaishou-push.receiver.js';
import { readRawText } from './raw-text.util.js';

/** Kuaishou's HTTPS push: answer `{"result":1}` once stored, or 400 naming why the body was refused. */
@Controller('webhooks/kuaishou')
@Public()
export class KuaishouPushController {
  constructor(private readonly receiver: KuaishouPushReceiver) {}

  @Post(':appKey')
  @HttpCode(200)
  async push(@Param('appKey') appKey: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const receipt = await this.receiver.receive(appKey, await readRawText(req));
    if (receipt.ok) {
      res.status(200).type('application/json').send(KS_PUSH_ACK);
      return;
    }
    res.status(receipt.status).json({ result: 0, error: receipt.reason });
  }
}
