// Unit tests of the daemon's security parts that need no daemon: certificate parsing (czmq's ZPL files),
// Z85 key checks, key generation and files, the ZAP decisions, which endpoints count as loopback, and
// project ownership.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "curve_keys.hpp"
#include "endpoint_security.hpp"
#include "project_owners.hpp"
#include "request_access.hpp"
#include "zap_handler.hpp"

namespace voxd::daemon {
namespace {

namespace fs = std::filesystem;

class KeyFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("voxd-keys-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST(CurveKeys, ChecksZ85Keys) {
  auto pair = generate_certificate();
  ASSERT_TRUE(pair.ok());
  EXPECT_TRUE(check_z85_key(pair->public_key, "k").ok());
  EXPECT_FALSE(check_z85_key("short", "k").ok());
  EXPECT_FALSE(check_z85_key(std::string(40, ' '), "k").ok());
  EXPECT_FALSE(check_z85_key(std::string(40, '~'), "k").ok());
  auto bytes = decode_z85_key(pair->public_key, "k");
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(encode_z85_key(bytes->data()), pair->public_key);
}

TEST(CurveKeys, ParsesCzmqCertificatesStrictly) {
  auto pair = generate_certificate();
  ASSERT_TRUE(pair.ok());
  // What czmq's zcert_save_secret writes (comments, a metadata section, tabs nowhere).
  const std::string czmq = "#   ****  Generated on 2024-01-01 by CZMQ  ****\n#   ZeroMQ CURVE **Secret** Certificate\n\n"
                           "metadata\n    name = \"x\"\ncurve\n    public-key = \"" +
                           pair->public_key + "\"\n    secret-key = \"" + pair->secret_key + "\"\n";
  auto parsed = parse_certificate(czmq, "c", true);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->public_key, pair->public_key);
  EXPECT_EQ(parsed->secret_key, pair->secret_key);
  // The secret alone is enough: the public key is derived.
  auto derived = parse_certificate("curve\n    secret-key = \"" + pair->secret_key + "\"\n", "c", true);
  ASSERT_TRUE(derived.ok());
  EXPECT_EQ(derived->public_key, pair->public_key);
  auto other = generate_certificate();
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(parse_certificate("curve\n    public-key = \"" + other->public_key + "\"\n    secret-key = \"" +
                                     pair->secret_key + "\"\n",
                                 "c", true)
                   .ok());  // a public key that is not the secret's
  EXPECT_FALSE(parse_certificate(certificate_text(*pair, false), "c", true).ok());  // no secret
  EXPECT_TRUE(parse_certificate(certificate_text(*pair, false), "c", false).ok());
  for (const std::string& bad : std::vector<std::string>{"curve\n\tpublic-key = \"x\"\n", "curve\n  public-key = \"x\"\n",
                                "    curve\n", "curve\n    public-key = \"unterminated\n", "curve\n    public-key = \"" +
                                pair->public_key + "\" trailing\n", "", "metadata\n", "curve\n    public-key = \"short\"\n",
                                std::string("curve\n    public-key = \"") + pair->public_key + "\"\n    public-key = \"" +
                                    pair->public_key + "\"\n"}) {
    auto result = parse_certificate(bad, "bad", false);
    EXPECT_FALSE(result.ok()) << bad;
    if (!result.ok()) {
      EXPECT_NE(result.error().message.find("bad"), std::string::npos) << result.error().message;
    }
  }
}

TEST_F(KeyFiles, WritesAPairOnceWithPrivateModes) {
  auto pair = generate_certificate();
  ASSERT_TRUE(pair.ok());
  const fs::path secret = dir_ / "me";
  ASSERT_TRUE(write_certificate_pair(secret, *pair).ok());
  struct stat info {};
  ASSERT_EQ(::stat(secret.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777U, 0600U);
  auto read_back = read_certificate(secret, true);
  ASSERT_TRUE(read_back.ok());
  EXPECT_EQ(read_back->secret_key, pair->secret_key);
  auto public_only = read_certificate(dir_ / "me.pub", false);
  ASSERT_TRUE(public_only.ok());
  EXPECT_TRUE(public_only->secret_key.empty());
  EXPECT_FALSE(write_certificate_pair(secret, *pair).ok());  // never overwrites
}

TEST_F(KeyFiles, LoadsAClientsDirectoryAndReportsBadFiles) {
  auto a = generate_certificate();
  auto b = generate_certificate();
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(write_certificate_pair(dir_ / "a", *a).ok());
  std::ofstream(dir_ / "b.pub") << certificate_text(*b, false);
  std::ofstream(dir_ / "broken") << "curve\n    public-key = \"nope\"\n";
  std::ofstream(dir_ / ".hidden") << "not read";
  fs::create_directory(dir_ / "sub");
  auto loaded = load_client_keys(dir_);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->keys, (std::set<std::string>{a->public_key, b->public_key}));
  ASSERT_EQ(loaded->problems.size(), 1U);
  EXPECT_NE(loaded->problems[0].find("broken"), std::string::npos);
  EXPECT_FALSE(load_client_keys(dir_ / "missing").ok());
}

TEST(ZapDecision, ChecksEachDomain) {
  auto allowed = generate_certificate();
  auto unknown = generate_certificate();
  ASSERT_TRUE(allowed.ok() && unknown.ok());
  const std::set<std::string> keys{allowed->public_key};
  const auto key_bytes = [](const std::string& z85) {
    auto bytes = decode_z85_key(z85, "k");
    return std::string(bytes->begin(), bytes->end());
  };
  const std::string curve(kZapDomainCurve);
  const std::string local(kZapDomainLocal);
  const std::string plain(kZapDomainPlain);
  auto ok = decide_zap_request({"1.0", "7", curve, "127.0.0.1", "", "CURVE", key_bytes(allowed->public_key)}, keys);
  EXPECT_EQ(ok.status, "200");
  EXPECT_EQ(ok.user_id, "curve:" + allowed->public_key);
  auto refused =
      decide_zap_request({"1.0", "7", curve, "127.0.0.1", "", "CURVE", key_bytes(unknown->public_key)}, keys);
  EXPECT_EQ(refused.status, "400");
  EXPECT_NE(refused.refusal.find(unknown->public_key), std::string::npos);
  EXPECT_EQ(decide_zap_request({"1.0", "7", curve, "127.0.0.1", "", "NULL"}, keys).status, "400");
  EXPECT_EQ(decide_zap_request({"1.0", "7", curve, "127.0.0.1", "", "CURVE", "short"}, keys).status, "400");
  EXPECT_EQ(decide_zap_request({"1.0", "7", local, "localhost:1000:100:42", "", "NULL"}, keys).user_id, "uid:1000");
  EXPECT_EQ(decide_zap_request({"1.0", "7", local, "localhost", "", "NULL"}, keys).user_id, "");
  EXPECT_EQ(decide_zap_request({"1.0", "7", plain, "127.0.0.1", "", "NULL"}, keys).status, "200");
  EXPECT_EQ(decide_zap_request({"1.0", "7", plain, "127.0.0.1", "", "PLAIN", "u", "p"}, keys).status, "400");
  EXPECT_EQ(decide_zap_request({"1.0", "7", "other", "127.0.0.1", "", "NULL"}, keys).status, "400");
  EXPECT_EQ(decide_zap_request({"2.0", "7", plain, "127.0.0.1", "", "NULL"}, keys).status, "500");
  EXPECT_EQ(decide_zap_request({"1.0"}, keys).status, "500");
}

TEST(EndpointReach, LoopbackIsOnlyLoopback) {
  EXPECT_EQ(endpoint_reach("ipc:///tmp/x.sock"), EndpointReach::local);
  EXPECT_EQ(endpoint_reach("tcp://127.0.0.1:0"), EndpointReach::loopback);
  EXPECT_EQ(endpoint_reach("tcp://127.1.2.3:5555"), EndpointReach::loopback);
  EXPECT_EQ(endpoint_reach("tcp://localhost:5555"), EndpointReach::loopback);
  EXPECT_EQ(endpoint_reach("tcp://[::1]:5555"), EndpointReach::loopback);
  for (const char* exposed : {"tcp://0.0.0.0:0", "tcp://*:5555", "tcp://eth0:5555", "tcp://10.0.0.1:1",
                              "tcp://[::]:5555", "tcp://128.0.0.1:1", "pgm://eth0;239.1.1.1:5555"}) {
    EXPECT_EQ(endpoint_reach(exposed), EndpointReach::network) << exposed;
  }
  EXPECT_TRUE(check_listen_policy({"tcp://127.0.0.1:0"}, false, false).ok());
  auto refused = check_listen_policy({"ipc:///x", "tcp://0.0.0.0:0"}, false, false);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("--insecure-tcp"), std::string::npos);
  EXPECT_TRUE(check_listen_policy({"tcp://0.0.0.0:0"}, false, true).ok());
  EXPECT_TRUE(check_listen_policy({"tcp://0.0.0.0:0"}, true, false).ok());
}

TEST(ProjectOwners, SharesGrantReadOrEditAndRevokeTakesThemBack) {
  core::Workspace workspace;
  auto handle = workspace.create_project("p");
  ASSERT_TRUE(handle.ok());
  ProjectOwners owners("curve:admin");
  EXPECT_FALSE(owners.share(*handle, "uid:1001", ProjectAccess::read));  // nobody owns it: nothing to share
  owners.set(*handle, "uid:1000");
  EXPECT_EQ(owners.access(*handle, "uid:1000"), ProjectAccess::own);
  EXPECT_EQ(owners.access(*handle, "curve:admin"), ProjectAccess::own);
  EXPECT_EQ(owners.access(*handle, "uid:1001"), ProjectAccess::none);
  EXPECT_TRUE(owners.share(*handle, "uid:1001", ProjectAccess::read));
  EXPECT_EQ(owners.access(*handle, "uid:1001"), ProjectAccess::read);
  EXPECT_EQ(owners.access(*handle, "uid:1002"), ProjectAccess::none);
  EXPECT_TRUE(owners.share(*handle, "uid:1001", ProjectAccess::edit));  // replaces, never adds up
  EXPECT_EQ(owners.access(*handle, "uid:1001"), ProjectAccess::edit);
  EXPECT_TRUE(owners.share(*handle, "uid:1001", ProjectAccess::none));
  EXPECT_EQ(owners.access(*handle, "uid:1001"), ProjectAccess::none);
  owners.share(*handle, "uid:1001", ProjectAccess::read);
  owners.set(*handle, "uid:1003");  // a new owner (the handle reused) starts with no shares
  EXPECT_EQ(owners.access(*handle, "uid:1001"), ProjectAccess::none);
  owners.erase(*handle);
  EXPECT_EQ(owners.access(*handle, "uid:1003"), ProjectAccess::none);
}

TEST(ProjectOwners, IdentitiesAreCheckedForForm) {
  EXPECT_TRUE(check_identity("uid:0").ok());
  EXPECT_TRUE(check_identity("uid:4294967295").ok());
  EXPECT_TRUE(check_identity("curve:rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7").ok());
  for (const char* bad : {"", "uid:", "uid:12345678901", "uid:-1", "uid:1 ", "curve:", "curve:short", "bob"}) {
    const auto checked = check_identity(bad);
    EXPECT_FALSE(checked.ok()) << bad;
    EXPECT_EQ(checked.code(), core::ErrorCode::invalid_argument) << bad;
  }
}

TEST(RequestAccess, ReadsNeedReadEditsNeedEditCloseAndShareStayTheOwners) {
  using protocol::RequestBody;
  for (const auto body : {RequestBody::GetProjectInfo, RequestBody::GetVoxels, RequestBody::ReadBox, RequestBody::Render,
                          RequestBody::ExportProject, RequestBody::CopyProject, RequestBody::FindByColor}) {
    EXPECT_EQ(access_needed(body), ProjectAccess::read) << protocol::EnumNameRequestBody(body);
  }
  for (const auto body : {RequestBody::SetVoxels, RequestBody::DrawShape, RequestBody::AddLayer, RequestBody::Batch,
                          RequestBody::Undo, RequestBody::Redo, RequestBody::SaveProject}) {
    EXPECT_EQ(access_needed(body), ProjectAccess::edit) << protocol::EnumNameRequestBody(body);
  }
  for (const auto body : {RequestBody::CloseProject, RequestBody::ShareProject}) {
    EXPECT_EQ(access_needed(body), ProjectAccess::own) << protocol::EnumNameRequestBody(body);
  }
}

TEST(ProjectOwners, OnlyTheOwnerAndTheAdminMayUseAProject) {
  core::Workspace workspace;
  auto handle = workspace.create_project("p");
  ASSERT_TRUE(handle.ok());
  ProjectOwners owners("curve:admin");
  EXPECT_FALSE(owners.may_use(*handle, ""));  // nobody's yet: nobody's but the admin's
  EXPECT_TRUE(owners.may_use(*handle, "curve:admin"));
  owners.set(*handle, "uid:1000");
  EXPECT_TRUE(owners.may_use(*handle, "uid:1000"));
  EXPECT_FALSE(owners.may_use(*handle, "uid:1001"));
  EXPECT_FALSE(owners.may_use(*handle, ""));
  EXPECT_TRUE(owners.is_admin("curve:admin"));
  EXPECT_FALSE(ProjectOwners().is_admin(""));  // no --admin-key: the anonymous identity is no admin
  // Another's project gets, word for word, the answer a closed one gets.
  ASSERT_TRUE(workspace.close_project(*handle).ok());
  auto closed = workspace.lock(*handle);
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.error().message, ProjectOwners::not_yours(*handle).message);
  EXPECT_EQ(closed.code(), ProjectOwners::not_yours(*handle).code);
  owners.erase(*handle);
  EXPECT_FALSE(owners.may_use(*handle, "uid:1000"));
}

}  // namespace
}  // namespace voxd::daemon
