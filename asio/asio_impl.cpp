// The one translation unit that compiles Asio (with its SSL support) and Beast, which every other user of
// them in the project gets through BOOST_ASIO_SEPARATE_COMPILATION / BOOST_BEAST_SEPARATE_COMPILATION
// (public compile definitions of dirsync_asio).
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
