#include "server/feeds/periodic_flush.h"

#include "server/feeds/sbs_ingest.h"

namespace airprox {

void PeriodicFlush::Schedule(const std::shared_ptr<State>& s) {
  s->timer.expires_after(std::chrono::milliseconds(kFeedFlushMs));
  s->timer.async_wait([s](const asio::error_code& ec) {
    if (ec || s->stopped) return;
    s->flush();
    Schedule(s);
  });
}

}  // namespace airprox
