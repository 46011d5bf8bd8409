import { api, type ConnectionStatus } from '../lib/api';

class ConnectionState {
  status = $state<ConnectionStatus>('open');

  connect(): () => void {
    return api.onConnection((status) => {
      this.status = status;
    });
  }
}

export const connection = new ConnectionState();
