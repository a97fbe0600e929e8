import type { Page } from 'playwright';

/** A record of the outbox's IndexedDB, as the tests read it (`kind` absent: a message). */
export interface StoredRecord {
  readonly text: string;
  readonly order: number;
  readonly kind?: string;
}

/** The records the page's outbox keeps in IndexedDB (without creating the database: none then). */
export const storedOutbox = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<StoredRecord[]>((resolve, reject) => {
        const request = indexedDB.open('react-ws-chat', 1);
        // Not there yet: leave its creation to the app.
        request.onupgradeneeded = () => request.transaction?.abort();
        request.onerror = () => resolve([]);
        request.onsuccess = () => {
          const db = request.result;
          const all = db.transaction('outbox').objectStore('outbox').getAll();
          all.onsuccess = () => {
            db.close();
            resolve(all.result as StoredRecord[]);
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
