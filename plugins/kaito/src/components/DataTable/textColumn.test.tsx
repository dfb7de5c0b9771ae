import { cutInTheMiddle } from './textColumn';

describe('cutInTheMiddle', () => {
  it('keeps the start and the suffix that tells names apart', () => {
    expect(cutInTheMiddle('support-chatbot-tune-q7m2x', 22)).toBe(
      'support-chatbot…-q7m2x',
    );
    expect(cutInTheMiddle('support-chatbot-tune-q7m2x', 22)).toHaveLength(22);
    expect(cutInTheMiddle('support-chatbot', 22)).toBe('support-chatbot');
  });
});
