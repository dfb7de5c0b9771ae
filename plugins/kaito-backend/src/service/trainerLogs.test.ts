import { parseTrainerLog, trainerException } from './trainerLogs';

describe('parseTrainerLog', () => {
  it('reads tqdm progress and the HF Trainer loss dicts', () => {
    const log = [
      'Loading checkpoint shards: 100%|██████████| 2/2 [00:03<00:00,  1.60s/it]',
      "{'num_train_epochs': 3, 'per_device_train_batch_size': 1}",
      'Map: 100%|██████████| 400/400 [00:00<00:00, 1234.56 examples/s]',
      '  0%|          | 0/120 [00:00<?, ?it/s]',
      '  8%|▊         | 10/120 [00:20<03:40,  2.00s/it]',
      "{'loss': 2.4512, 'grad_norm': 1.23, 'learning_rate': 0.0002, 'epoch': 0.25}",
      ' 17%|█▋        | 20/120 [00:40<03:20,  2.00s/it]',
      "{'loss': 1.9, 'grad_norm': tensor(0.9, device='cuda:0'), 'learning_rate': 0.00018, 'epoch': 0.5}",
      ' 25%|██▌       | 30/120 [01:00<03:00,  2.00s/it]\r 26%|██▌       | 31/120 [01:02<02:58,  2.00s/it]',
    ].join('\n');
    expect(parseTrainerLog(log)).toEqual({
      step: 31,
      totalSteps: 120,
      fraction: 0.258,
      epoch: 0.5,
      totalEpochs: 3,
      loss: [
        { step: 10, epoch: 0.25, loss: 2.4512, learningRate: 0.0002 },
        { step: 20, epoch: 0.5, loss: 1.9, learningRate: 0.00018 },
      ],
      evalLoss: [],
    });
  });

  it('reads JSON log lines, eval loss and the final train loss', () => {
    const log = [
      'Epoch 1/2',
      '{"loss": 1.5, "epoch": 1.0, "step": 50}',
      '{"eval_loss": 1.7, "epoch": 1.0, "step": 50}',
      "{'train_runtime': 100.1, 'train_loss': 1.42, 'epoch': 2.0}",
    ].join('\n');
    const progress = parseTrainerLog(log);
    expect(progress.loss).toEqual([{ step: 50, epoch: 1, loss: 1.5 }]);
    expect(progress.evalLoss).toEqual([{ step: 50, epoch: 1, loss: 1.7 }]);
    expect(progress.trainLoss).toBe(1.42);
    expect(progress.totalEpochs).toBe(2);
    expect(progress.epoch).toBe(2);
  });

  it('returns an empty series for logs without trainer output', () => {
    expect(parseTrainerLog('downloading data\nnan everywhere')).toEqual({
      loss: [],
      evalLoss: [],
    });
  });

  it('skips nan losses', () => {
    expect(parseTrainerLog("{'loss': nan, 'epoch': 0.1}").loss).toEqual([]);
  });
});

describe('trainerException', () => {
  it('finds the exception the trainer died of at the end of its traceback', () => {
    const log = [
      "{'loss': 2.4512, 'epoch': 0.25}",
      'Traceback (most recent call last):',
      '  File "/workspace/tfs/fine_tuning.py", line 148, in <module>',
      '    trainer.train()',
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 24.00 GiB',
      '[rank0]: wrapped up',
    ].join('\n');
    expect(trainerException(log)).toBe(
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 24.00 GiB',
    );
    expect(trainerException(`ValueError: ${'x'.repeat(400)}`, 40)).toHaveLength(
      40,
    );
    expect(trainerException("{'loss': 1.2}\nall done")).toBeUndefined();
  });
});
