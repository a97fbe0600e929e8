// What the reference chat server reports: the running server, its log events and its counters.

/** Why a frame counted as invalid. */
export type InvalidPacketKind = 'json' | 'binary' | 'malformed' | 'unknown-type' | 'text-too-long';

/** What `ChatServerOptions.log` receives. */
export type ChatServerEvent =
  | { readonly type: 'listening'; readonly url: string }
  | {
      readonly type: 'connection';
      readonly id: number;
      readonly origin: string | undefined;
      readonly address: string | undefined;
      /** The selected sub-protocol: `'json'`, or `''` for a client that offered none. */
      readonly protocol: string;
    }
  | { readonly type: 'origin-rejected'; readonly origin: string | undefined; readonly address: string | undefined }
  | {
      readonly type: 'username';
      readonly id: number;
      readonly name: string;
      /** What the client asked for (its first 200 code points), or null for a default given unasked. */
      readonly requested: string | null;
    }
  | { readonly type: 'duplicate'; readonly id: number; readonly nonce: string }
  | {
      readonly type: 'invalid';
      readonly id: number;
      readonly kind: InvalidPacketKind;
      readonly detail: string;
      /** Invalid frames of this connection so far, this one included. */
      readonly count: number;
    }
  /** A frame found the bucket empty and waits: logged when a connection's backlog starts, not per frame. */
  | { readonly type: 'rate-delayed'; readonly id: number }
  /** A connection cut for flooding (1008). */
  | { readonly type: 'rate-limited'; readonly id: number }
  | { readonly type: 'heartbeat-timeout'; readonly id: number }
  | { readonly type: 'slow-consumer'; readonly id: number; readonly bufferedAmount: number }
  | { readonly type: 'close'; readonly id: number; readonly code: number; readonly reason: string }
  | { readonly type: 'error'; readonly id: number | null; readonly error: Error }
  /**
   * The Redis room (`redis` option): `lost` (connections closed with 1013, new ones refused until
   * Redis is back; also when the node found its own lease had run out: `detail` says which),
   * `restored` (`resequenced`: Redis had lost the room, whose sequence began again).
   */
  | { readonly type: 'redis'; readonly state: 'lost' | 'restored'; readonly detail: string }
  | { readonly type: 'shutdown' };

/** Counters since the server started. */
export interface ChatServerStats {
  /** Connections open now. */
  readonly connections: number;
  /** Connections accepted since the start. */
  readonly totalConnections: number;
  /** Upgrades refused for their origin (HTTP 403). */
  readonly rejectedOrigins: number;
  /** Messages relayed to everyone. */
  readonly messagesRelayed: number;
  /** Messages not relayed because their (name, nonce) was relayed recently (the sender alone gets an echo). */
  readonly duplicateMessages: number;
  /** Messages whose text was blank: ignored, not counted as invalid. */
  readonly blankMessages: number;
  /** Names registered (explicit requests, and defaults given to a connection that wrote before asking). */
  readonly usernames: number;
  /** Every invalid frame: the sum of the five counts below. */
  readonly invalidPackets: number;
  readonly invalidJson: number;
  readonly binaryFrames: number;
  readonly malformedPackets: number;
  readonly unknownTypes: number;
  readonly textTooLong: number;
  /** Frames that found the bucket empty and waited for a token (then handled, in order). */
  readonly rateDelayed: number;
  /** Connections closed for flooding: a frame over the rate with `maxBacklog` already waiting (1008). */
  readonly rateLimited: number;
  /** Connections closed for too many invalid frames (1007). */
  readonly invalidClosed: number;
  /** Connections terminated for not answering a ping. */
  readonly heartbeatTimeouts: number;
  /** Connections terminated for reading too slowly. */
  readonly slowConsumers: number;
  /** `ping` text frames answered with `pong` (protocol extension). */
  readonly pongs: number;
  /** `ping` text frames ignored, for coming less than `PING_SPACING` ms after the last one answered. */
  readonly pingsIgnored: number;
  /** Sign-ins of a user who came back with its session: relayed with `rejoin: true`. */
  readonly rejoins: number;
  /** `history` requests taken (protocol extension): catch-ups and older pages. */
  readonly historyRequests: number;
  /** `typing` frames relayed (protocol extension): starts and stops, each counted once however many get it. */
  readonly typingRelayed: number;
  /** `typing` frames dropped: a start sooner than `TYPING_SPACING` after the last, a stop while not typing, one from a user without a name. */
  readonly typingIgnored: number;
  /** `edit` frames relayed (protocol extension): own messages given a new text. */
  readonly editsRelayed: number;
  /** `delete` frames relayed (protocol extension): own messages deleted. */
  readonly deletesRelayed: number;
  /** `edit` and `delete` frames refused (answered `refused` to their sender alone): not the user's message, deleted already, blank, too long. */
  readonly editsRefused: number;
  /**
   * Closed connections by close code: the one the server closed with when it did (1001, 1007, 1008,
   * 1009...), else the one the client sent (1000...; 1005: none; 1006: dropped or terminated).
   */
  readonly closes: Readonly<Record<string, number>>;
}

/** A running chat server. */
export interface ChatServer {
  /** `ws://HOST:PORT`, with the actual port. */
  readonly url: string;
  readonly host: string;
  /** The actual port (the one picked when the options said 0). */
  readonly port: number;
  /** Connections open now. */
  readonly clientCount: number;
  /** A snapshot of the counters. */
  stats(): ChatServerStats;
  /**
   * Close every connection with 1001 "Server shutting down" (terminating those that do not finish the
   * closing handshake within `shutdownTimeout`) and stop listening. Resolves when all is closed; the
   * same promise on every call.
   */
  close(): Promise<void>;
}
