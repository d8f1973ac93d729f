// Most tests here start a whole backend. That is quick on an idle machine
// but can take longer than Jest's default 5 s on a busy one; nothing waits
// on this limit, it only decides when a test gives up.
jest.setTimeout(30_000);
