#include "instance_lock.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include "test_paths.hpp"

namespace newswatch::app {
namespace {

TEST(instance_lock, a_second_holder_is_refused_with_the_first_ones_pid_and_the_lock_goes_with_its_holder) {
    testing::temp_dir dir;
    EXPECT_FALSE(instance_lock::holder(dir.path()).has_value());
    {
        const instance_lock first = instance_lock::acquire(dir.path());
        EXPECT_EQ(instance_lock::holder(dir.path()), ::getpid());
        // flock locks belong to the open file: a second open in this process conflicts too.
        try {
            (void)instance_lock::acquire(dir.path());
            FAIL() << "acquired twice";
        } catch (const instance_conflict& e) {
            EXPECT_EQ(std::string(e.what()), "another newswatchd (pid " + std::to_string(::getpid()) +
                                                 ") holds " + dir.path().string());
        }
    }
    // Released with its holder; the stale file with the old pid does not block.
    EXPECT_TRUE(std::filesystem::exists(instance_lock::file_of(dir.path())));
    EXPECT_FALSE(instance_lock::holder(dir.path()).has_value());
    const instance_lock again = instance_lock::acquire(dir.path());
    EXPECT_EQ(instance_lock::holder(dir.path()), ::getpid());
}

}  // namespace
}  // namespace newswatch::app
