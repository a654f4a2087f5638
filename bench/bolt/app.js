// The Node peer of bench/frontdoor.sh: Slack's own framework, Bolt-JS, verifying each slash
// command's signature and answering /whygo with a Block Kit message of about whygo's size (a
// fixed one: no search). PORT and SLACK_SIGNING_SECRET come from the environment.
const { App } = require('@slack/bolt');

const app = new App({
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  token: 'xoxb-bench-not-real',
  // With the bot's ids given, Bolt never calls auth.test (the bench has no network).
  botId: 'B0BENCH',
  botUserId: 'U0BENCHBOT',
  tokenVerificationEnabled: false,
  endpoints: '/slack/commands',
});

const link = (n) => ({
  type: 'section',
  text: { type: 'mrkdwn', text: `*<https://example.com/go-at-docker-${n}|Go at Docker ${n}>*\nWhy Go · #${n}` },
});

app.command('/whygo', async ({ command, ack }) => {
  await ack({
    response_type: 'in_channel',
    text: `Why Go: ${command.text}`,
    blocks: [1, 2, 3, 4, 5].map(link),
  });
});

(async () => {
  await app.start(Number(process.env.PORT));
  console.log(`bolt listening on ${process.env.PORT}`);
})();
