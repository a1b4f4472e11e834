/* Reconnect tokens: name AND token claim a departed player's colour and
 * score within the window, once; clocks read a millisecond apart by the
 * server's two code paths must not make a fresh departure look ancient. */
#include "check.h"
#include "reconnect.h"

int main(void)
{
    reconnect_table t;
    reconnect_entry e;
    reconnect_init(&t, 60000);

    reconnect_remember(&t, "Ben", 42, 1, 9, 7, 1001);
    CHECK(!reconnect_claim(&t, "Ben", 41, 1002, &e));   /* wrong token */
    CHECK(!reconnect_claim(&t, "Bob", 42, 1002, &e));   /* wrong name */
    /* Claimed "before" it was remembered: the caller read its clock first. */
    CHECK(reconnect_claim(&t, "Ben", 42, 1000, &e));
    CHECK(e.id == 1 && e.colour == 9 && e.score == 7);
    CHECK(!reconnect_claim(&t, "Ben", 42, 1003, &e));   /* only once */

    reconnect_remember(&t, "Ann", 7, 2, 3, 5, 5000);
    CHECK(reconnect_count(&t, 5000 + 59999) == 1);
    CHECK(!reconnect_claim(&t, "Ann", 7, 5000 + 60000, &e)); /* window over */

    reconnect_remember(&t, "Cal", 8, 3, 4, 0, 9000);
    CHECK(reconnect_claim(&t, "Cal", 8, 9000 + 59999, &e));
    return check_done("reconnect");
}
