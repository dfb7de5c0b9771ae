import { countTokens } from './tokens';

/**
 * The deterministic "model": it names the model (and the LoRA adapter the
 * request selected) and echoes the last user message, so a client can check
 * which model answered without a GPU anywhere.
 */
export interface ChatMessage {
  role: string;
  content?: string | { type: string; text?: string }[] | null;
}

export function messageText(message: ChatMessage | undefined): string {
  const content = message?.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content.map(part => part.text ?? '').join(' ');
  return '';
}

export function replyFor(
  base: string,
  adapter: string | undefined,
  messages: ChatMessage[],
  maxTokens: number | undefined,
): {
  text: string;
  finishReason: 'stop' | 'length';
  promptTokens: number;
  completionTokens: number;
} {
  const lastUser = [...messages].reverse().find(m => m.role === 'user');
  const full = `[${base}${
    adapter ? ` + adapter ${adapter}` : ''
  }] You said: ${messageText(lastUser)}`;
  const promptTokens = messages.reduce(
    (sum, m) => sum + 4 + countTokens(messageText(m)),
    2,
  );
  let text = full;
  let finishReason: 'stop' | 'length' = 'stop';
  if (maxTokens !== undefined && countTokens(full) > maxTokens) {
    const words = full.split(' ');
    const kept: string[] = [];
    for (const word of words) {
      if (countTokens([...kept, word].join(' ')) > maxTokens) break;
      kept.push(word);
    }
    text = kept.join(' ');
    finishReason = 'length';
  }
  return {
    text,
    finishReason,
    promptTokens,
    completionTokens: countTokens(text),
  };
}
