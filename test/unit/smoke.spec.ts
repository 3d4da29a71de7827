import { describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { Injectable, Module } from '@nestjs/common';

@Injectable()
class Greeter {
  hello(): string {
    return '你好';
  }
}
@Module({ providers: [Greeter] })
class M {}

describe('toolchain', () => {
  it('runs Nest DI under ESM jest', async () => {
    const ref = await Test.createTestingModule({ imports: [M] }).compile();
    expect(ref.get(Greeter).hello()).toBe('你好');
  });
});
