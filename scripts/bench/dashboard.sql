-- wa-aggregate's version 1 dashboard in SQL (DuckDB), for scripts/bench: the "same work" row.
-- Run by dashboard_duckdb.py, which fills in the file name and the number-region joins (one
-- per prefix length, longest first) and provides region_prefix. Statements
-- are split at semicolons (so comments hold none), and a statement whose first line is
-- "-- result NAME" is a result.
-- The events: only the fields the dashboard reads (DuckDB parses the rest and drops it).
create temp table raw as
select row_number() over () as rn, *
from read_ndjson('{FILE}', columns = {
  event: 'VARCHAR', userId: 'VARCHAR', timestamp: 'VARCHAR', receivedAt: 'VARCHAR',
  properties: 'STRUCT(messageId VARCHAR, contentType VARCHAR, templateId VARCHAR,
    isAutomated BOOLEAN, agentId VARCHAR, chatId VARCHAR, errorCode VARCHAR,
    countryCode VARCHAR, source VARCHAR, resolution VARCHAR, messageCount DOUBLE,
    durationMinutes DOUBLE, replyTo VARCHAR, campaignId VARCHAR, campaignName VARCHAR)',
  context: 'STRUCT(countryCode VARCHAR)'});

-- Event time: its own, else the latest seen so far (line order).
create temp table timed as
select rn, event, userId, properties as p, context.countryCode as ctxCountry,
  coalesce(try_cast("timestamp" as timestamptz), try_cast(receivedAt as timestamptz)) as own
from raw;

create temp table ev as
select rn, event, userId, p, ctxCountry, own,
  coalesce(own, max(own) over (order by rn rows between unbounded preceding and current row)) as t
from timed;

-- Duplicates (SPEC §5 keys): the first line of a key counts.
create temp table d as
select * from ev
qualify row_number() over (partition by
  case
    when event like 'message.%' then event || '|' || coalesce(p.messageId, '')
    when event = 'contact.created' then 'c|' || userId
    when event = 'chat.resolved' then 'r|' || coalesce(p.chatId, '') || '|' ||
      coalesce(cast(own as varchar), coalesce(cast(p.messageCount as varchar), '') || '|' ||
      coalesce(cast(p.durationMinutes as varchar), '') || '|' || coalesce(p.resolution, ''))
    when event = 'chat.assigned' then 'a|' || coalesce(p.chatId, '') || '|' ||
      coalesce(p.agentId, '') || '|' || coalesce(cast(own as varchar), '')
    when event = 'campaign.sent' then 's|' || coalesce(p.campaignId, '')
    else 'x|' || rn
  end order by rn) = 1;

-- result input
select (select count(*) from raw) as events, (select count(*) from raw) - count(*) as duplicates
from d;

-- result messages
select
  count(*) filter (event = 'message.received') as received,
  count(*) filter (event = 'message.sent') as sent,
  count(*) filter (event = 'message.sent' and p.agentId is not null
    and p.isAutomated is not true) as sentByAgent,
  count(*) filter (event = 'message.sent' and not (p.agentId is not null
    and p.isAutomated is not true)) as sentAutomated,
  count(*) filter (event = 'message.sent' and p.templateId is not null) as sentTemplate,
  count(*) filter (event = 'message.delivered') as delivered,
  count(*) filter (event = 'message.read') as "read",
  count(*) filter (event = 'message.failed') as failed
from d;

-- result failedByCode
select coalesce(p.errorCode, 'unspecified'), count(*) from d
where event = 'message.failed' group by 1 order by 1;

-- result contentTypes
select event, coalesce(p.contentType, 'unspecified'), count(*) from d
where event in ('message.received', 'message.sent') group by 1, 2 order by 1, 2;

-- The funnel: each sent message's highest stage.
create temp table sent as
select userId, p.messageId as mid, t, p.agentId as agent, p.isAutomated as automated
from d where event = 'message.sent';

create temp table inbound as
select userId, t, p.replyTo as replyTo from d where event = 'message.received';

create temp table stage as
select s.mid,
  exists (select 1 from d where d.event = 'message.delivered' and d.p.messageId = s.mid)
    as delivered,
  exists (select 1 from d where d.event = 'message.read' and d.p.messageId = s.mid) as "read",
  (nxt.t is not null and nxt.t - s.t <= interval 24 hours)
    or exists (select 1 from inbound i where i.replyTo = s.mid) as replied,
  exists (select 1 from d where d.event = 'message.failed' and d.p.messageId = s.mid)
    as failed
from sent s asof left join inbound nxt on s.userId = nxt.userId and nxt.t > s.t;

-- result funnel
select count(*) as sent,
  count(*) filter (delivered or "read" or replied) as delivered,
  count(*) filter ("read" or replied) as "read",
  count(*) filter (replied) as replied,
  count(*) filter (failed) as failed,
  round(count(*) filter (delivered or "read" or replied) / count(*), 4) as deliveryRate,
  round(count(*) filter ("read" or replied) / count(*), 4) as readRate,
  round(count(*) filter (replied) / count(*), 4) as replyRate
from stage;

-- Response time: per user, an inbound message with no clock running starts one, the next
-- sent message at or after it stops it (for agentResponseTime, only an agent's message).
create temp table talk as
select userId, t, rn, event = 'message.received' as inb, p.agentId as agent,
  p.agentId is not null and p.isAutomated is not true as byAgent
from d where event in ('message.received', 'message.sent');

create temp table clocks as
with all_clock as (
  select userId, t, rn, inb, agent, byAgent,
    lag(inb) over (partition by userId order by t, rn) as prevInb,
    min(case when not inb then t end) over (partition by userId order by t, rn
      rows between current row and unbounded following) as stop
  from talk),
agent_clock as (
  select userId, t, rn, inb,
    lag(inb) over (partition by userId order by t, rn) as prevInb,
    first_value(case when not inb then t end ignore nulls) over (partition by userId
      order by t, rn rows between current row and unbounded following) as stop,
    first_value(case when not inb then agent end ignore nulls) over (partition by userId
      order by t, rn rows between current row and unbounded following) as stopAgent
  from talk where inb or byAgent)
select 'all' as kind, null as agent, epoch(stop - t) as seconds from all_clock
where inb and prevInb is not true and stop is not null
union all
select 'agent', stopAgent, epoch(stop - t) from agent_clock
where inb and prevInb is not true and stop is not null;

-- result responseTime
select kind, count(*), round(avg(seconds), 3), quantile_disc(seconds, 0.5),
  quantile_disc(seconds, 0.9), quantile_disc(seconds, 0.99), max(seconds)
from clocks group by kind order by kind;

-- result volumeByHour
select event, hour(t at time zone 'UTC') as h, count(*) from d
where event in ('message.received', 'message.sent') group by 1, 2 order by 1, 2;

-- result heatmap
select event, isodow(t at time zone 'UTC') as dow, hour(t at time zone 'UTC') as h, count(*)
from d where event in ('message.received', 'message.sent') group by 1, 2, 3 order by 1, 2, 3;

-- Countries: properties, else context, else the number's region, else a BSUID's prefix.
create temp table located as
select d.event, d.userId, upper(coalesce(p.countryCode, ctxCountry, {REGION_CODES},
  case when userId similar to '[A-Z][A-Z]\..*' then left(userId, 2) end, 'ZZ')) as country
from d
{REGION_JOINS}
where d.event <> 'campaign.sent';

-- result countries
select country, count(*) filter (event = 'message.received'),
  count(*) filter (event = 'message.sent'), count(*) filter (event = 'contact.created'),
  approx_count_distinct(userId)
from located group by 1 order by 1;

-- result agents
with sentBy as (
  select agent, count(*) as n from sent where agent is not null and automated is not true
  group by 1),
resolved as (
  select coalesce(p.agentId, 'unassigned') as agent, count(*) as n,
    avg(p.durationMinutes) as dur, avg(p.messageCount) as msgs
  from d where event = 'chat.resolved' group by 1),
rt as (
  select agent, count(*) as n, avg(seconds) as mean, quantile_disc(seconds, 0.5) as p50,
    quantile_disc(seconds, 0.9) as p90, max(seconds) as mx
  from clocks where kind = 'agent' group by 1)
select coalesce(s.agent, r.agent, rt.agent), s.n, r.n, round(r.dur, 3), round(r.msgs, 3),
  rt.n, round(rt.mean, 3), rt.p50, rt.p90, rt.mx
from sentBy s full join resolved r on s.agent = r.agent
full join rt on rt.agent = coalesce(s.agent, r.agent)
order by 1;

-- result conversations
select count(*), round(avg(p.messageCount), 3), quantile_disc(p.messageCount, 0.5),
  quantile_disc(p.messageCount, 0.9), max(p.messageCount), round(avg(p.durationMinutes), 3),
  quantile_disc(p.durationMinutes, 0.5), quantile_disc(p.durationMinutes, 0.9),
  max(p.durationMinutes)
from d where event = 'chat.resolved';

-- result byResolution
select coalesce(p.resolution, 'unspecified'), count(*) from d where event = 'chat.resolved'
group by 1 order by 1;

-- result contacts
select coalesce(p.source, 'unspecified'), count(*) from d where event = 'contact.created'
group by 1 order by 1;

-- result users
select approx_count_distinct(userId) from d where event <> 'campaign.sent';

-- result eventTime
select min(t), max(t) from d
