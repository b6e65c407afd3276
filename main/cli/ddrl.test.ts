import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '../../bin/ddrl.js');

describe('the ddrl process', () => {
  it('ends quietly with exit code 0 when its reader closes the pipe early', () => {
    // 3000 steps print far more than the pipe's buffer; `head -1` closes it after one line.
    const actions = Array.from({ length: 3000 }, () => 4).join(',');
    const result = spawnSync('sh', ['-c', `node "${bin}" simulate --game bigfish --level-seed 3 --actions ${actions} | head -1`], {
      encoding: 'utf8',
    });
    expect(result.stdout).toBe('t\taction\treward\tdone\n');
    expect(result.stderr).not.toMatch(/EPIPE|Error/);
  });

  it('exits 2 and names the command when it is unknown', () => {
    const result = spawnSync(process.execPath, [bin, 'frobnicate'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});
