import type { ApiEvent, ApiMethod, ArgsOf, PayloadOf, ResultOf } from './contract';
import { fromBridgeRejection } from './api-error';
import type { HeapscopeBridge } from './bridge';
import type { ClientTransport } from './transport';

export function createElectronTransport(bridge: HeapscopeBridge): ClientTransport {
  return {
    kind: 'electron',
    async call<M extends ApiMethod>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>> {
      try {
        return (await bridge.invoke(method, args)) as ResultOf<M>;
      } catch (reason) {
        throw fromBridgeRejection(reason);
      }
    },
    subscribe<E extends ApiEvent>(event: E, listener: (payload: PayloadOf<E>) => void): () => void {
      return bridge.on(event, (payload) => listener(payload as PayloadOf<E>));
    },
    onConnection(listener) {
      listener('open');
      return () => {};
    },
  };
}
